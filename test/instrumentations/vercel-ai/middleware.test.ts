/**
 * `llmCostMiddleware` around `@ai-sdk/openai` models (chat and Responses) driven by `generateText`
 * and `streamText` against the fake provider: tokens, cost, attribution, spans, and every way a
 * call can end. The caller's results and stream parts are unchanged.
 */
import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { APICallError, generateText, type LanguageModelMiddleware, streamText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLLMContext } from '../../../src/context.js';
import { llmCostMiddleware } from '../../../src/instrumentations/vercel-ai/index.js';
import { drain, type Harness, startHarness, until, usageHeaders } from './harness.js';

const PROMPT = 'Say hello to the test suite';
const USAGE = { input: 100, cacheRead: 40, output: 20, reasoning: 7 };
const INCLUSIVE = { inputTokens: 140, outputTokens: 27, cacheReadTokens: 40, reasoningTokens: 7 };
// gpt-4o per MTok: input $2.50, cached input $1.25, output (reasoning included) $10:
// (140 − 40)×2.50 + 40×1.25 + 27×10 = 570 → $0.00057.
const COST = 0.00057;

describe('llmCostMiddleware', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  it('is an `ai` LanguageModelMiddleware (spec v3)', () => {
    const middleware: LanguageModelMiddleware = llmCostMiddleware(h.telemetry);
    expect(middleware.specificationVersion).toBe('v3');
  });

  describe.each([
    { api: 'chat', make: (h: Harness) => h.provider.chat('gpt-4o'), providerId: 'openai.chat' },
    { api: 'responses', make: (h: Harness) => h.provider('gpt-4o'), providerId: 'openai.responses' },
  ])('@ai-sdk/openai $api model', ({ make, providerId }) => {
    it('generateText: one record with cache and reasoning tokens, priced', async () => {
      const model = make(h);
      expect(model.provider).toBe(providerId);
      const result = await generateText({
        model: h.wrap(model),
        prompt: PROMPT,
        headers: usageHeaders(USAGE),
      });
      expect(result.text.length).toBeGreaterThan(0);
      expect(result.usage.inputTokens).toBe(140);
      expect(h.calls).toHaveLength(1);
      expect(h.calls[0]).toMatchObject({
        provider: 'openai',
        model: 'gpt-4o',
        apiOperation: 'chat',
        outcome: 'success',
        usage: INCLUSIVE,
      });
      const total = h.telemetry.summary().total;
      expect(total.requests).toBe(1);
      expect(total.tokens).toMatchObject({ input: 100, cache_read: 40, output: 20, reasoning: 7 });
      expect(total.costUsd).toBeCloseTo(COST, 12);
    });

    it('streamText: usage from the finish part, the text unchanged', async () => {
      const bare = streamText({ model: make(h), prompt: PROMPT, headers: usageHeaders(USAGE) });
      const bareText = await bare.text;
      const s = streamText({ model: h.wrap(make(h)), prompt: PROMPT, headers: usageHeaders(USAGE) });
      expect(await s.text).toBe(bareText);
      await until(() => h.calls.length === 1);
      expect(h.calls[0]).toMatchObject({ provider: 'openai', outcome: 'success', usage: INCLUSIVE });
      expect(h.calls[0]?.usageMissingReason).toBeUndefined();
      expect(h.telemetry.summary().total).toMatchObject({ requests: 1, successes: 1 });
    });
  });

  it('one CLIENT span per call named per semconv, with usage and cost attributes', async () => {
    await generateText({
      model: h.wrap(h.provider.chat('gpt-4o')),
      prompt: PROMPT,
      headers: usageHeaders(USAGE),
    });
    const spans = h.spans();
    expect(spans).toHaveLength(1);
    const span = spans[0]!;
    expect(span.name).toBe('chat gpt-4o');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.instrumentationScope.name).toBe('llm-cost-otel');
    expect(span.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': 140,
      'gen_ai.usage.output_tokens': 27,
      'gen_ai.usage.cache_read.input_tokens': 40,
      'gen_ai.usage.reasoning.output_tokens': 7,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'llm.cost.recorded': true,
    });
    expect(span.attributes['gen_ai.usage.cost.amount']).toBeGreaterThan(0);
    expect(JSON.stringify(span.attributes)).not.toContain(PROMPT);
  });

  it('attribution from withLLMContext; per-model options win', async () => {
    await withLLMContext({ agent: 'planner', operation: 'plan', task: 'T-42' }, () =>
      generateText({ model: h.wrap(h.provider.chat('gpt-4o')), prompt: PROMPT }),
    );
    await withLLMContext({ agent: 'planner' }, () =>
      generateText({ model: h.wrap(h.provider.chat('gpt-4o'), { agent: 'critic' }), prompt: PROMPT }),
    );
    expect(h.recorded.map((r) => [r.agent, r.operation, r.task])).toEqual([
      ['planner', 'plan', 'T-42'],
      ['critic', 'chat', undefined],
    ]);
    expect(h.spans()[0]?.attributes['llm.task.id']).toBe('T-42');
  });

  it('a stream consumed outside the scope keeps the scope it was started in', async () => {
    const s = await withLLMContext({ agent: 'writer' }, async () =>
      streamText({ model: h.wrap(h.provider.chat('gpt-4o')), prompt: PROMPT }),
    );
    await s.text;
    await until(() => h.recorded.length === 1);
    expect(h.recorded[0]?.agent).toBe('writer');
  });

  it('an API error is rethrown and recorded as error with its class', async () => {
    const model = h.wrap(h.provider.chat('gpt-4o'));
    const error = await generateText({
      model,
      prompt: PROMPT,
      maxRetries: 0,
      headers: { 'x-fake-scenario': 'error-429' },
    }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({ outcome: 'error', errorType: 'APICallError' });
    expect(h.calls[0]?.usage).toBeUndefined();
    const span = h.spans()[0]!;
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('APICallError');
  });

  it('every retry the AI SDK makes is one billed attempt', async () => {
    await generateText({
      model: h.wrap(h.provider.chat('gpt-4o')),
      prompt: PROMPT,
      maxRetries: 1,
      headers: { 'x-fake-scenario': 'error-500' },
    }).catch(() => undefined);
    expect(h.fake.requests).toHaveLength(2);
    expect(h.calls.map((c) => c.outcome)).toEqual(['error', 'error']);
  });

  it('the error object reaches the caller unchanged (same object)', async () => {
    const boom = new Error('boom');
    const model = wrapLanguageModel({
      model: new MockLanguageModelV3({
        doGenerate: async () => {
          throw boom;
        },
      }),
      middleware: llmCostMiddleware(h.telemetry),
    });
    const error = await generateText({ model, prompt: PROMPT, maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBe(boom);
    expect(h.calls[0]).toMatchObject({ provider: 'mock-provider', outcome: 'error', errorType: 'Error' });
  });

  it('usage: absent from the response → usage missing, never zeros', async () => {
    await generateText({
      model: h.wrap(h.provider.chat('gpt-4o')),
      prompt: PROMPT,
      headers: { 'x-fake-scenario': 'no-usage' },
    });
    expect(h.calls[0]).toMatchObject({ outcome: 'success', usageMissingReason: 'missing' });
    expect(h.calls[0]?.usage).toBeUndefined();
    expect(h.telemetry.metrics()).toMatch(/llm_usage_missing_total\{[^}]*reason="missing"[^}]*\} 1/);
  });

  describe('streams', () => {
    it('no usage in the stream → stream_no_usage', async () => {
      const s = streamText({
        model: h.wrap(h.provider.chat('gpt-4o')),
        prompt: PROMPT,
        headers: { 'x-fake-scenario': 'no-usage' },
      });
      await s.text;
      await until(() => h.calls.length === 1);
      expect(h.calls[0]).toMatchObject({ outcome: 'success', usageMissingReason: 'stream_no_usage' });
      expect(h.calls[0]?.usage).toBeUndefined();
    });

    it('AbortSignal mid-stream → aborted', async () => {
      const controller = new AbortController();
      const s = streamText({
        model: h.wrap(h.provider.chat('gpt-4o')),
        prompt: PROMPT,
        abortSignal: controller.signal,
        headers: { 'x-fake-chunk-delay-ms': '20' },
      });
      let n = 0;
      try {
        for await (const _ of s.textStream) {
          if (++n === 2) controller.abort();
        }
      } catch {
        // the abort surfaces as an error or as an early end, depending on timing
      }
      await until(() => h.calls.length === 1);
      expect(h.calls[0]).toMatchObject({ outcome: 'aborted', usageMissingReason: 'stream_aborted' });
      expect(h.spans()[0]?.attributes['llm.outcome']).toBe('aborted');
    });

    it('connection cut mid-stream → aborted', async () => {
      const s = streamText({
        model: h.wrap(h.provider.chat('gpt-4o')),
        prompt: PROMPT,
        headers: { 'x-fake-scenario': 'cut-mid-stream' },
        onError: () => {},
      });
      await s.consumeStream();
      await until(() => h.calls.length === 1);
      expect(h.calls[0]).toMatchObject({ outcome: 'aborted', usageMissingReason: 'stream_aborted' });
    });

    it('the provider’s in-stream error event → error, with the provider’s error type', async () => {
      const s = streamText({
        model: h.wrap(h.provider.chat('gpt-4o')),
        prompt: PROMPT,
        headers: { 'x-fake-scenario': 'error-mid-stream' },
        onError: () => {},
      });
      await s.consumeStream();
      await until(() => h.calls.length === 1);
      expect(h.calls[0]).toMatchObject({ outcome: 'error', usageMissingReason: 'stream_error' });
      expect(h.calls[0]?.errorType).not.toBe('_OTHER');
      expect(h.spans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
    });

    it('doStream parts pass through unchanged; a consumer that cancels early records aborted', async () => {
      const model = h.provider.chat('gpt-4o');
      const params = {
        prompt: [{ role: 'user' as const, content: [{ type: 'text' as const, text: PROMPT }] }],
      };
      const bare = await drain((await model.doStream(params)).stream);
      const wrapped = wrapLanguageModel({ model, middleware: llmCostMiddleware(h.telemetry) });
      const parts = await drain((await wrapped.doStream(params)).stream);
      const strip = (ps: LanguageModelV3StreamPart[]) =>
        JSON.stringify(ps)
          .replace(/"timestamp":"[^"]*"/g, '')
          .replace(/"id":"[^"]*"/g, '');
      expect(strip(parts)).toBe(strip(bare));
      expect(h.calls).toHaveLength(1);

      const { stream } = await wrapped.doStream({
        ...params,
        headers: { 'x-fake-chunk-delay-ms': '10' },
      });
      const reader = stream.getReader();
      await reader.read();
      await reader.read();
      await reader.cancel();
      await until(() => h.calls.length === 2);
      expect(h.calls[1]).toMatchObject({ outcome: 'aborted', usageMissingReason: 'stream_aborted' });
    });
  });

  it('with no telemetry (none registered) the model works and nothing is recorded', async () => {
    const model = wrapLanguageModel({ model: h.provider.chat('gpt-4o'), middleware: llmCostMiddleware() });
    const result = await generateText({ model, prompt: PROMPT });
    expect(result.text.length).toBeGreaterThan(0);
    expect(h.calls).toHaveLength(0);
  });

  it('a provider override and the AI Gateway creator prefix name the provider', async () => {
    const mock = (provider: string, modelId: string) =>
      new MockLanguageModelV3({
        provider,
        modelId,
        doGenerate: {
          content: [{ type: 'text', text: 'hi' }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: {
            inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
            outputTokens: { total: 5, text: 5, reasoning: 0 },
          },
          warnings: [],
        },
      });
    await generateText({ model: h.wrap(mock('gateway', 'anthropic/claude-sonnet-4')), prompt: PROMPT });
    await generateText({
      model: h.wrap(mock('openai.chat', 'my-deploy'), { provider: 'acme' }),
      prompt: PROMPT,
    });
    expect(h.calls.map((c) => [c.provider, c.model])).toEqual([
      ['anthropic', 'claude-sonnet-4'],
      ['acme', 'my-deploy'],
    ]);
  });
});
