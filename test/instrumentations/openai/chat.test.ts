/** `chat.completions.create` (JSON), `parse()`, errors and transparency, on openai 4.x, 5.x and 6.x. */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withLLMContext } from '../../../src/context.js';
import { CHAT, type Harness, scenario, startHarness, until, usageHeaders, VERSIONS } from './harness.js';

// gpt-4o: $2.50 input, $1.25 cached input, $10 output (reasoning billed as output) per million tokens.
const USAGE = { input: 100, cacheRead: 50, output: 30, reasoning: 10 };
const COST = (100 * 2.5 + 50 * 1.25 + 40 * 10) / 1e6;
const INCLUSIVE = {
  inputTokens: 150,
  outputTokens: 40,
  cacheReadTokens: 50,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 10,
};

describe.each(VERSIONS)('openai $major chat.completions.create (JSON)', ({ OpenAI }) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(OpenAI, { fake: { retryAfterSeconds: 0 } });
  });
  afterEach(() => h.stop());

  describe('usage and cost', () => {
    it('records inclusive tokens and the price-book cost, once', async () => {
      const completion = await h.client().chat.completions.create(CHAT, usageHeaders(USAGE));
      expect(completion.usage?.prompt_tokens).toBe(150);
      expect(h.calls).toHaveLength(1);
      expect(h.calls[0]).toMatchObject({
        provider: 'openai',
        model: 'gpt-4o',
        responseModel: 'gpt-4o',
        apiOperation: 'chat',
        outcome: 'success',
        usage: INCLUSIVE,
        serviceTier: 'default',
      });
      expect(h.calls[0]?.usageMissingReason).toBeUndefined();
      expect(h.recorded[0]?.costUsd).toBeCloseTo(COST, 12);
      expect(h.recorded[0]?.buckets).toEqual({
        input: 100,
        cacheRead: 50,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        output: 30,
        reasoning: 10,
      });
    });

    it('takes agent and operation from withLLMContext', async () => {
      await withLLMContext({ agent: 'planner', operation: 'plan', task: 'T-1' }, () =>
        h.client().chat.completions.create(CHAT),
      );
      expect(h.recorded[0]).toMatchObject({ agent: 'planner', operation: 'plan', task: 'T-1' });
    });

    it('records a response without usage as missing, never as zero tokens', async () => {
      await h.client().chat.completions.create(CHAT, scenario('no-usage'));
      expect(h.calls[0]).toMatchObject({ outcome: 'success', usageMissingReason: 'missing' });
      expect(h.calls[0]?.usage).toBeUndefined();
    });
  });

  describe('span', () => {
    it('is one CLIENT span named "chat gpt-4o" with usage and cost attributes', async () => {
      await h.client().chat.completions.create(CHAT, usageHeaders(USAGE));
      const [span, ...rest] = h.spans();
      expect(rest).toHaveLength(0);
      expect(span?.name).toBe('chat gpt-4o');
      expect(span?.kind).toBe(SpanKind.CLIENT);
      expect(span?.attributes).toMatchObject({
        'gen_ai.provider.name': 'openai',
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 150,
        'gen_ai.usage.output_tokens': 40,
        'gen_ai.usage.cache_read.input_tokens': 50,
        'gen_ai.usage.reasoning.output_tokens': 10,
        'gen_ai.usage.cost.currency': 'USD',
        'server.address': '127.0.0.1',
      });
      expect(span?.attributes['gen_ai.usage.cost.amount']).toBeCloseTo(COST, 12);
    });
  });

  describe('transparency', () => {
    it('returns the SDK’s own APIPromise object', async () => {
      const client = h.bare();
      const proto = Object.getPrototypeOf(client.chat.completions);
      const sdkCreate = vi.spyOn(proto, 'create');
      h.telemetry.instrument(client);
      const promise = client.chat.completions.create(CHAT);
      expect(promise).toBe(sdkCreate.mock.results[0]?.value);
      expect(promise.constructor.name).toBe('APIPromise');
      await promise;
      sdkCreate.mockRestore();
    });

    it('keeps .withResponse() working and records the call', async () => {
      const { data, response } = await h
        .client()
        .chat.completions.create(CHAT, usageHeaders(USAGE))
        .withResponse();
      expect(data.usage?.completion_tokens).toBe(40);
      expect(response.status).toBe(200);
      expect(h.calls).toHaveLength(1);
      expect(h.calls[0]?.usage).toEqual(INCLUSIVE);
    });

    it('keeps .asResponse() working (body unread by us) and still records the usage', async () => {
      const response = await h.client().chat.completions.create(CHAT, usageHeaders(USAGE)).asResponse();
      const body = (await response.json()) as { usage: { prompt_tokens: number } };
      expect(body.usage.prompt_tokens).toBe(150);
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(h.calls[0]?.usage).toEqual(INCLUSIVE);
    });

    it('does not change the caller’s request body', async () => {
      const body = structuredClone(CHAT);
      await h.client().chat.completions.create(body);
      expect(body).toEqual(CHAT);
    });

    it('rethrows the SDK error as the same object, records error_type and an error span', async () => {
      const client = h.client();
      const promise = client.chat.completions.create(CHAT, scenario('error-429'));
      const first = await promise.catch((e: unknown) => e);
      const second = await promise.catch((e: unknown) => e);
      expect(first).toBeInstanceOf(OpenAI.RateLimitError);
      expect(second).toBe(first);
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(h.calls[0]).toMatchObject({ outcome: 'error', errorType: 'RateLimitError' });
      expect(h.calls[0]?.usageMissingReason).toBeUndefined();
      const [span] = h.spans();
      expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'RateLimitError' });
      expect(span?.attributes['error.type']).toBe('RateLimitError');
    });

    it('records one error per create() however many times the SDK retried', async () => {
      const client = h.client({ maxRetries: 2 });
      const error = await client.chat.completions
        .create(CHAT, scenario('error-500'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(h.fake.requests.filter((r) => r.status === 500)).toHaveLength(3);
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(h.calls[0]).toMatchObject({ outcome: 'error', errorType: 'InternalServerError' });
    });

    it('records a request aborted by the caller’s AbortSignal as aborted', async () => {
      const controller = new AbortController();
      const promise = h
        .client()
        .chat.completions.create(CHAT, { ...scenario('slow'), signal: controller.signal });
      // Abort once the request is in flight (the fake holds a `slow` response back).
      await until(() => h.fake.requests.length === 1);
      controller.abort();
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(h.calls[0]?.outcome).toBe('aborted');
    });

    it('keeps the call going when record() throws', async () => {
      vi.mocked(h.telemetry.record).mockImplementation(() => {
        throw new Error('boom in record');
      });
      const completion = await h.client().chat.completions.create(CHAT);
      expect(completion.choices[0]?.message.role).toBe('assistant');
      expect(h.spans()).toHaveLength(1);
    });

    it('keeps the call going when starting the span throws', async () => {
      vi.spyOn(h.telemetry.tracer, 'startSpan').mockImplementation(() => {
        throw new Error('boom in tracer');
      });
      const completion = await h.client().chat.completions.create(CHAT);
      expect(completion.object).toBe('chat.completion');
      expect(h.calls).toHaveLength(0);
    });
  });

  describe('parse()', () => {
    it('goes through create once: one record with the usage', async () => {
      const client = h.client();
      // openai 4.x has parse under beta; 5.x and 6.x on chat.completions.
      const completions = (
        'parse' in client.chat.completions
          ? client.chat.completions
          : (client as never as { beta: { chat: { completions: typeof client.chat.completions } } }).beta.chat
              .completions
      ) as typeof client.chat.completions;
      const parsed = await completions.parse(CHAT, usageHeaders(USAGE));
      expect(parsed.choices[0]?.message.parsed).toBeNull();
      expect(h.calls).toHaveLength(1);
      expect(h.calls[0]?.usage).toEqual(INCLUSIVE);
    });
  });
});
