/**
 * `messages.create()` JSON through the real Anthropic SDK against the fake provider: usage and
 * cost, span attributes, the SDK's return objects and errors untouched, our failures contained.
 */
import Anthropic, { APIPromise } from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import {
  instrumentAnthropic,
  isAnthropicClient,
  uninstrumentAnthropic,
} from '../../../src/instrumentations/anthropic/index.js';
import { createHarness, fakeUsage, type Harness, usageAttributes } from './harness.js';

const MODEL = 'claude-haiku-4-5';
let fake: FakeProvider;
let h: Harness;
let client: Anthropic;
let bare: Anthropic;

beforeAll(async () => {
  fake = await startFakeProvider();
  h = createHarness();
  bare = new Anthropic({ apiKey: 'sk-ant-dummy', baseURL: fake.anthropicBaseURL, maxRetries: 0 });
});
beforeEach(() => {
  client = instrumentAnthropic(h.telemetry, newClient());
});
afterEach(() => h.reset());
afterAll(async () => {
  await h.shutdown();
  await fake.stop();
});

const newClient = () =>
  new Anthropic({ apiKey: 'sk-ant-dummy', baseURL: fake.anthropicBaseURL, maxRetries: 0 });
const ask = (headers: Record<string, string> = {}) =>
  client.messages.create(
    { model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] },
    { headers },
  );

describe('instrumentAnthropic()', () => {
  it('recognises the client, returns the same object, and is idempotent', () => {
    const fresh = newClient();
    expect(isAnthropicClient(fresh)).toBe(true);
    expect(isAnthropicClient({ messages: {} })).toBe(false);
    expect(instrumentAnthropic(h.telemetry, fresh)).toBe(fresh);
    const wrapped = fresh.messages.create;
    expect(instrumentAnthropic(h.telemetry, fresh)).toBe(fresh);
    expect(fresh.messages.create).toBe(wrapped);
  });
});

describe('messages.create JSON: usage, cost and span', () => {
  // claude-haiku-4-5, published prices per MTok: input $1, cache read $0.10, 5-minute write $1.25,
  // 1-hour write $2, output $5. 1000×1 + 4000×0.1 + 2000×1.25 + 3000×2 + 500×5 = 12 400 → $0.0124.
  const usage = { input: 1000, cacheRead: 4000, cacheWrite5m: 2000, cacheWrite1h: 3000, output: 500 };

  it('records disjoint token buckets, 5-minute and 1-hour cache writes priced apart', async () => {
    const message = await ask(fakeUsage(usage));
    expect(message.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 2000,
      ephemeral_1h_input_tokens: 3000,
    });
    const total = h.telemetry.summary().total;
    expect(total.tokens).toEqual({
      input: 1000,
      cache_read: 4000,
      cache_write: 5000,
      output: 500,
      reasoning: 0,
      total: 10_500,
    });
    expect(total.requests).toBe(1);
    expect(total.successes).toBe(1);
    expect(total.costUsd).toBeCloseTo(0.0124, 12);
    const priced = h.telemetry.price({
      provider: 'anthropic',
      model: MODEL,
      usage: {
        inputTokens: 10_000,
        outputTokens: 500,
        cacheReadTokens: 4000,
        cacheWriteTokens: 5000,
        cacheWrite1hTokens: 3000,
      },
    });
    expect(priced.priced && priced.costUsd).toBeCloseTo(total.costUsd, 15);
  });

  it('puts semconv usage and cost attributes on one CLIENT span named `chat <model>`', async () => {
    await ask(fakeUsage(usage));
    const [span, ...others] = h.ourSpans();
    expect(others).toEqual([]);
    expect(span?.name).toBe(`chat ${MODEL}`);
    expect(span?.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': MODEL,
      'gen_ai.response.model': MODEL,
      'server.address': '127.0.0.1',
    });
    const cost = span?.attributes['gen_ai.usage.cost.amount'] as number;
    expect(cost).toBeCloseTo(0.0124, 12);
    expect(usageAttributes(span!.attributes)).toEqual({
      'gen_ai.usage.input_tokens': 10_000,
      'gen_ai.usage.output_tokens': 500,
      'gen_ai.usage.cache_read.input_tokens': 4000,
      'gen_ai.usage.cache_write.input_tokens': 5000,
      'gen_ai.usage.cost.amount': cost,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
    });
  });

  it('counts thinking tokens as reasoning inside output', async () => {
    await ask(fakeUsage({ input: 10, output: 30, reasoning: 16 }));
    expect(h.telemetry.summary().total.tokens).toMatchObject({ input: 10, output: 30, reasoning: 16 });
    expect(h.ourSpans()[0]?.attributes['gen_ai.usage.reasoning.output_tokens']).toBe(16);
  });

  it('takes service_tier from the response and prices with it', async () => {
    await ask({ ...fakeUsage({ input: 100, output: 10 }), 'x-fake-service-tier': 'priority' });
    const span = h.ourSpans()[0]!;
    expect(span.attributes['gen_ai.openai.response.service_tier']).toBe('priority');
    const priced = h.telemetry.price({
      provider: 'anthropic',
      model: MODEL,
      usage: { inputTokens: 100, outputTokens: 10 },
      serviceTier: 'priority',
    });
    expect(priced.priced && priced.costUsd).toBe(h.telemetry.summary().total.costUsd);
  });

  it('a response without usage records the call and no tokens, never zeros', async () => {
    const message = await ask({ 'x-fake-scenario': 'no-usage' });
    expect(message.usage).toBeUndefined();
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, successes: 1, costUsd: 0 });
    expect(h.telemetry.summary().total.tokens.total).toBe(0);
    expect(h.sample('llm_usage_missing_total', { reason: 'missing' })).toBe(1);
    expect(h.ourSpans()[0]?.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
  });
});

describe('messages.create JSON: the SDK objects are preserved', () => {
  it('returns the SDK APIPromise, the same message shape as without instrumentation', async () => {
    const promise = ask();
    expect(promise).toBeInstanceOf(APIPromise);
    const message = await promise;
    const plain = await bare.messages.create({
      model: MODEL,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect({ ...message, id: 'x', _request_id: 'x' }).toEqual({ ...plain, id: 'x', _request_id: 'x' });
  });

  it('.withResponse() gives the data and the Response, and records once', async () => {
    const { data, response, request_id } = await ask(fakeUsage({ input: 7, output: 3 })).withResponse();
    expect(response.status).toBe(200);
    expect(request_id).toMatch(/^req_/);
    expect(data.usage.input_tokens).toBe(7);
    expect(h.telemetry.summary().total.tokens).toMatchObject({ input: 7, output: 3 });
    expect(h.telemetry.summary().total.requests).toBe(1);
  });

  it('.asResponse() leaves the body to the caller: recorded once, without usage', async () => {
    const response = await ask(fakeUsage({ input: 7, output: 3 })).asResponse();
    const body = (await response.json()) as { usage: { input_tokens: number } };
    expect(body.usage.input_tokens).toBe(7);
    await vi.waitFor(() => expect(h.telemetry.summary().total.requests).toBe(1));
    expect(h.sample('llm_usage_missing_total', { reason: 'raw_response' })).toBe(1);
  });

  it('uninstrumentAnthropic() restores the SDK method', async () => {
    const fresh = new Anthropic({ apiKey: 'k', baseURL: fake.anthropicBaseURL, maxRetries: 0 });
    const original = fresh.messages.create;
    instrumentAnthropic(h.telemetry, fresh);
    expect(fresh.messages.create).not.toBe(original);
    uninstrumentAnthropic(fresh);
    expect(fresh.messages.create).toBe(original);
    await fresh.messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    expect(h.telemetry.summary().total.requests).toBe(0);
  });
});

describe('messages.create JSON: errors', () => {
  /** Captures, beneath our wrapper, the rejection the SDK itself produced. */
  function sdkErrors(target: Anthropic): unknown[] {
    const seen: unknown[] = [];
    const create = target.messages.create;
    target.messages.create = function (this: unknown, ...args: unknown[]) {
      const promise = (create as (...a: unknown[]) => APIPromise<unknown>).apply(this, args);
      promise.catch((error: unknown) => seen.push(error));
      return promise;
    } as typeof create;
    return seen;
  }

  it.each([
    ['error-429', 'RateLimitError', Anthropic.RateLimitError],
    ['error-500', 'InternalServerError', Anthropic.InternalServerError],
    ['error-503', 'OverloadedError', Anthropic.OverloadedError],
  ] as const)(
    '%s is rethrown as the same object and counted as error_type %s',
    async (scenario, type, ErrorClass) => {
      const target = new Anthropic({ apiKey: 'k', baseURL: fake.anthropicBaseURL, maxRetries: 0 });
      const seen = sdkErrors(target);
      instrumentAnthropic(h.telemetry, target);
      const error = await target.messages
        .create(
          { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
          { headers: { 'x-fake-scenario': scenario } },
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(seen).toHaveLength(1);
      expect(error).toBe(seen[0]);
      expect(h.sample('llm_requests_total', { llm_outcome: 'error', error_type: type })).toBe(1);
      const span = h.ourSpans()[0]!;
      expect(span.status.code).toBe(2);
      expect(span.attributes['error.type']).toBe(type);
    },
  );

  it('SDK retries are one call of ours: the attempts ride on one APIPromise', async () => {
    const target = instrumentAnthropic(
      h.telemetry,
      new Anthropic({ apiKey: 'k', baseURL: fake.anthropicBaseURL, maxRetries: 1 }),
    );
    await target.messages
      .create(
        { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'x-fake-scenario': 'error-500' } },
      )
      .catch(() => undefined);
    expect(fake.requests.slice(-2).every((r) => r.status === 500)).toBe(true);
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, errors: 1 });
  });

  it('an AbortSignal fired before the response is `aborted`, rethrown unchanged', async () => {
    const controller = new AbortController();
    const pending = client.messages.create(
      { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
      { signal: controller.signal, headers: { 'x-fake-latency-ms': '500' } },
    );
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, aborted: 1 });
  });
});

describe('messages.create JSON: our own failures never reach the caller', () => {
  it('record() throwing: the caller still gets the message', async () => {
    const spy = vi.spyOn(h.telemetry, 'record').mockImplementation(() => {
      throw new Error('boom from record');
    });
    const message = await ask(fakeUsage({ input: 3, output: 2 }));
    expect(message.usage.output_tokens).toBe(2);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(h.ourSpans()).toHaveLength(1);
  });

  it('the tracer throwing at start: the call goes on unmeasured', async () => {
    vi.spyOn(h.telemetry.tracer, 'startSpan').mockImplementation(() => {
      throw new Error('boom from tracer');
    });
    const message = await ask(fakeUsage({ input: 3, output: 2 }));
    expect(message.usage.input_tokens).toBe(3);
    expect(h.telemetry.summary().total.requests).toBe(0);
  });

  it('after shutdown() the wrapper is a pass-through', async () => {
    await h.telemetry.shutdown();
    const message = await ask();
    expect(message.type).toBe('message');
    expect(h.ourSpans()).toEqual([]);
  });
});
