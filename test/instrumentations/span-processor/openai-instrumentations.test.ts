/**
 * The real `@opentelemetry/instrumentation-openai` and `@traceloop/instrumentation-openai`
 * applied to the openai SDK, their spans priced by `LLMCostSpanProcessor` — exactly once, also
 * when our own wrapper measures the same client.
 */
import { metrics } from '@opentelemetry/api';
import { OpenAIInstrumentation as OtelOpenAI } from '@opentelemetry/instrumentation-openai';
import { OpenAIInstrumentation as TraceloopOpenAI } from '@traceloop/instrumentation-openai';
import OpenAI, * as openaiModule from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLLMContext } from '../../../src/context.js';
import { type Harness, startHarness, until, usageHeaders } from './harness.js';

const BODY = {
  model: 'gpt-4o',
  messages: [{ role: 'user' as const, content: 'Say hello to the test suite' }],
};
const USAGE = { input: 100, cacheRead: 40, output: 20, reasoning: 7 };

/** Traceloop's manual patch has no unpatch: put the SDK's own functions back by hand. */
const PROTOTYPES = [
  OpenAI.Chat.Completions.prototype,
  OpenAI.Completions.prototype,
  OpenAI.Embeddings.prototype,
  OpenAI.Responses.prototype,
  OpenAI.Images.prototype,
] as unknown as Array<Record<string, unknown>>;
type Snapshot = Array<[Record<string, unknown>, Record<string, unknown>]>;
const snapshot = (): Snapshot =>
  PROTOTYPES.map((p) => [p, Object.fromEntries(Object.getOwnPropertyNames(p).map((k) => [k, p[k]]))]);
const restore = (snap: Snapshot) => {
  for (const [p, fields] of snap) for (const [k, v] of Object.entries(fields)) if (p[k] !== v) p[k] = v;
};

interface Variant {
  name: string;
  scope: string;
  /** Whether the instrumentation reads usage from streamed chunks. */
  streamUsage: boolean;
  apply(h: Harness): () => void;
}

const VARIANTS: Variant[] = [
  {
    name: '@opentelemetry/instrumentation-openai',
    scope: '@opentelemetry/instrumentation-openai',
    streamUsage: true,
    apply(h) {
      const inst = new OtelOpenAI();
      inst.disable();
      inst.setTracerProvider(h.tracerProvider);
      inst.setMeterProvider(metrics.getMeterProvider());
      inst.enable();
      const definition = inst.getModuleDefinitions()[0]!;
      definition.patch?.(openaiModule);
      return () => {
        definition.unpatch?.(openaiModule);
        inst.disable();
      };
    },
  },
  {
    name: '@traceloop/instrumentation-openai',
    scope: '@traceloop/instrumentation-openai',
    streamUsage: false,
    apply(h) {
      const saved = snapshot();
      const inst = new TraceloopOpenAI();
      inst.disable();
      inst.setTracerProvider(h.tracerProvider);
      inst.enable();
      inst.manuallyInstrument(OpenAI);
      return () => {
        inst.disable();
        restore(saved);
      };
    },
  },
];

describe.each(VARIANTS)('$name spans', ({ scope, apply, streamUsage }) => {
  let h: Harness;
  let undo: () => void;
  const bare = () => new OpenAI({ baseURL: h.fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 });
  beforeEach(async () => {
    h = await startHarness();
    undo = apply(h);
  });
  afterEach(async () => {
    undo();
    await h.stop();
  });

  it('a chat completion is priced once, from the span’s gen_ai.* attributes', async () => {
    await withLLMContext({ agent: 'planner', operation: 'plan', task: 'T-1' }, () =>
      bare().chat.completions.create(BODY, { headers: usageHeaders(USAGE) }),
    );
    await until(() => h.calls.length === 1);
    const foreign = h.spans().filter((s) => s.instrumentationScope.name === scope);
    expect(foreign).toHaveLength(1);
    expect(h.calls).toHaveLength(1);
    // These instrumentations report inclusive input/output only (no cache or reasoning split).
    const usage = { inputTokens: 140, outputTokens: 27 };
    expect(h.calls[0]).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o',
      apiOperation: 'chat',
      outcome: 'success',
      usage,
      agent: 'planner',
      operation: 'plan',
      task: 'T-1',
      span: null,
    });
    const total = h.telemetry.summary().total;
    expect(total).toMatchObject({ requests: 1, successes: 1, tokens: { input: 140, output: 27 } });
    // The span carries no cache split: gpt-4o $2.50 input, $10 output per MTok: 140×2.50 + 27×10 = 620 → $0.00062.
    expect(total.costUsd).toBeCloseTo(0.00062, 12);
    expect(total.avgLatencyMs).toBeGreaterThan(0);
  });

  it('a streamed chat completion with usage is priced once', async () => {
    const stream = await bare().chat.completions.create(
      { ...BODY, stream: true, stream_options: { include_usage: true } },
      { headers: usageHeaders(USAGE) },
    );
    for await (const _ of stream) {
      // drain
    }
    // Every span ended: no second record can still come.
    await until(() => h.calls.length === 1 && h.openSpans() === 0);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({ provider: 'openai', outcome: 'success' });
    if (streamUsage) {
      expect(h.calls[0]?.usage).toEqual({ inputTokens: 140, outputTokens: 27 });
    } else {
      // Traceloop reads no usage from streams: a request with usage missing, never zero tokens.
      expect(h.calls[0]).toMatchObject({ usage: undefined, usageMissingReason: 'span_no_usage' });
    }
  });

  it('with our wrapper on the same client, the call still counts once (ours)', async () => {
    const client = h.telemetry.instrument(bare());
    await client.chat.completions.create(BODY, { headers: usageHeaders(USAGE) });
    await until(() => h.spans().some((s) => s.instrumentationScope.name === scope));
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]?.span).not.toBeNull();
    expect(h.calls[0]?.usage).toMatchObject({ cacheReadTokens: 40, reasoningTokens: 7 });
    expect(h.telemetry.summary().total.requests).toBe(1);
  });
});

describe('@opentelemetry/instrumentation-openai errors and embeddings', () => {
  let h: Harness;
  let undo: () => void;
  const bare = () => new OpenAI({ baseURL: h.fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 });
  beforeEach(async () => {
    h = await startHarness();
    undo = VARIANTS[0]!.apply(h);
  });
  afterEach(async () => {
    undo();
    await h.stop();
  });

  it('a 429 is one error request with error_type from error.type', async () => {
    await expect(
      bare().chat.completions.create(BODY, { headers: { 'x-fake-scenario': 'error-429' } }),
    ).rejects.toThrow();
    await until(() => h.calls.length === 1);
    expect(h.calls[0]).toMatchObject({ outcome: 'error', errorType: 'RateLimitError', provider: 'openai' });
    expect(h.calls[0]?.usage).toBeUndefined();
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, errors: 1 });
  });

  it('embeddings are priced as embeddings', async () => {
    await bare().embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    await until(() => h.calls.length === 1);
    expect(h.calls[0]).toMatchObject({ apiOperation: 'embeddings', model: 'text-embedding-3-small' });
    expect(h.calls[0]?.usage?.inputTokens).toBeGreaterThan(0);
    expect(h.telemetry.summary().total.costUsd).toBeGreaterThan(0);
  });
});
