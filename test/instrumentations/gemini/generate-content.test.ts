/**
 * `models.generateContent()` through the real Google GenAI SDK against the fake provider: usage
 * (cached inside prompt, thoughts beside candidates), cost, span, the SDK's response and errors
 * untouched, our failures contained.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import { instrumentGemini, isGeminiClient } from '../../../src/instrumentations/gemini/index.js';
// One harness for both provider suites (a per-file telemetry with in-memory spans).
import { createHarness, fakeUsage, type Harness, usageAttributes } from '../anthropic/harness.js';

const MODEL = 'gemini-2.5-flash';
// Disjoint buckets: 1000 uncached prompt, 3000 cached, 200 candidates, 100 thoughts.
// gemini-2.5-flash per MTok: input $0.30, cached input $0.03, output (thinking included) $2.50
// → 1000×0.30 + 3000×0.03 + (200 + 100)×2.50 = 1140 → $0.00114.
const USAGE = { input: 1000, cacheRead: 3000, output: 200, reasoning: 100 };
const COST = 0.00114;

let fake: FakeProvider;
let h: Harness;
let ai: GoogleGenAI;
const newClient = () =>
  new GoogleGenAI({ apiKey: 'gemini-dummy-key', httpOptions: { baseUrl: fake.geminiBaseURL } });
const generate = (target: GoogleGenAI, headers: Record<string, string> = {}, model = MODEL) =>
  target.models.generateContent({ model, contents: 'hi', config: { httpOptions: { headers } } });
/** A response without the parts that differ per request. */
const comparable = (r: object) => ({ ...r, responseId: 'x', sdkHttpResponse: undefined });

beforeAll(async () => {
  fake = await startFakeProvider();
  h = createHarness();
});
beforeEach(() => {
  ai = instrumentGemini(h.telemetry, newClient());
});
afterEach(() => h.reset());
afterAll(async () => {
  await h.shutdown();
  await fake.stop();
});

describe('instrumentGemini()', () => {
  it('recognises the client, returns the same object, and is idempotent', () => {
    const fresh = newClient();
    expect(isGeminiClient(fresh)).toBe(true);
    expect(isGeminiClient({ models: { list() {} } })).toBe(false);
    expect(instrumentGemini(h.telemetry, fresh)).toBe(fresh);
    const wrapped = Object.getOwnPropertyDescriptor(fresh.models, 'generateContentInternal')?.value;
    expect(wrapped).toBeTypeOf('function');
    instrumentGemini(h.telemetry, fresh);
    expect(Object.getOwnPropertyDescriptor(fresh.models, 'generateContentInternal')?.value).toBe(wrapped);
  });
});

describe('generateContent: usage, cost and span', () => {
  it('records cached tokens inside the prompt and thoughts as reasoning output', async () => {
    const response = await generate(ai, fakeUsage(USAGE));
    expect(response.usageMetadata).toMatchObject({
      promptTokenCount: 4000,
      cachedContentTokenCount: 3000,
      candidatesTokenCount: 200,
      thoughtsTokenCount: 100,
    });
    const total = h.telemetry.summary().total;
    expect(total.tokens).toEqual({
      input: 1000,
      cache_read: 3000,
      cache_write: 0,
      output: 200,
      reasoning: 100,
      total: 4300,
    });
    expect(total.costUsd).toBeCloseTo(COST, 12);
    const priced = h.telemetry.price({
      provider: 'gcp.gemini',
      model: MODEL,
      usage: { inputTokens: 4000, outputTokens: 300, cacheReadTokens: 3000, reasoningTokens: 100 },
    });
    expect(priced.priced && priced.costUsd).toBeCloseTo(total.costUsd, 15);
  });

  it('one CLIENT span `generate_content <model>` with semconv usage and cost attributes', async () => {
    await generate(ai, fakeUsage(USAGE));
    const [span, ...others] = h.ourSpans();
    expect(others).toEqual([]);
    expect(span?.name).toBe(`generate_content ${MODEL}`);
    expect(span?.attributes).toMatchObject({
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.request.model': MODEL,
      'gen_ai.response.model': MODEL,
    });
    expect(usageAttributes(span!.attributes)).toEqual({
      'gen_ai.usage.input_tokens': 4000,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 3000,
      'gen_ai.usage.reasoning.output_tokens': 100,
      'gen_ai.usage.cost.amount': span?.attributes['gen_ai.usage.cost.amount'],
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
    });
    expect(span?.attributes['gen_ai.usage.cost.amount']).toBeCloseTo(COST, 12);
  });

  it('a `models/` prefixed name is priced as the model id', async () => {
    await generate(ai, fakeUsage({ input: 10, output: 10 }), `models/${MODEL}`);
    expect(h.ourSpans()[0]?.attributes['gen_ai.request.model']).toBe(MODEL);
    expect(h.telemetry.summary().total.unpriced).toBe(0);
  });

  it('a response without usageMetadata records the call without tokens', async () => {
    const response = await generate(ai, { 'x-fake-scenario': 'no-usage' });
    expect(response.usageMetadata).toBeUndefined();
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, successes: 1, costUsd: 0 });
    expect(h.sample('llm_usage_missing_total', { reason: 'missing' })).toBe(1);
  });

  it('chats.sendMessage() goes through the same models: measured once', async () => {
    const chat = ai.chats.create({ model: MODEL });
    await chat.sendMessage({ message: 'hi', config: { httpOptions: { headers: fakeUsage(USAGE) } } });
    expect(h.telemetry.summary().total.requests).toBe(1);
    expect(h.telemetry.summary().total.costUsd).toBeCloseTo(COST, 12);
  });
});

describe('generateContent: the SDK objects are preserved', () => {
  it('returns the same response as without instrumentation', async () => {
    const response = await generate(ai, fakeUsage(USAGE));
    const plain = await generate(newClient(), fakeUsage(USAGE));
    expect(response.constructor).toBe(plain.constructor);
    expect(comparable(response)).toEqual(comparable(plain));
    expect(response.text).toBe(plain.text);
  });
});

describe('generateContent: errors', () => {
  /** Captures, beneath our wrapper, the rejection the SDK itself produced. */
  function sdkErrors(target: GoogleGenAI): unknown[] {
    const seen: unknown[] = [];
    const models = target.models as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const internal = models['generateContentInternal']!;
    models['generateContentInternal'] = function (this: unknown, ...args: unknown[]) {
      const promise = internal.apply(this, args);
      promise.catch((error: unknown) => seen.push(error));
      return promise;
    };
    return seen;
  }

  it.each(['error-429', 'error-500'])(
    '%s: the same ApiError object, error_type ApiError',
    async (scenario) => {
      const target = newClient();
      const seen = sdkErrors(target);
      instrumentGemini(h.telemetry, target);
      const error = await generate(target, { 'x-fake-scenario': scenario }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(seen).toHaveLength(1);
      expect(error).toBe(seen[0]);
      expect(h.sample('llm_requests_total', { llm_outcome: 'error', error_type: 'ApiError' })).toBe(1);
      expect(h.ourSpans()[0]?.status.code).toBe(2);
    },
  );

  it('an abortSignal fired before the response: aborted, the error rethrown', async () => {
    const controller = new AbortController();
    const pending = ai.models.generateContent({
      model: MODEL,
      contents: 'hi',
      config: { abortSignal: controller.signal, httpOptions: { headers: { 'x-fake-latency-ms': '500' } } },
    });
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    await vi.waitFor(() => expect(h.telemetry.summary().total).toMatchObject({ requests: 1, aborted: 1 }));
  });
});

describe('generateContent: our own failures never reach the caller', () => {
  it('record() throwing: the caller still gets the response', async () => {
    const spy = vi.spyOn(h.telemetry, 'record').mockImplementation(() => {
      throw new Error('boom from record');
    });
    const response = await generate(ai, fakeUsage(USAGE));
    expect(response.usageMetadata?.candidatesTokenCount).toBe(200);
    await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(1));
  });

  it('the tracer throwing at start: the call goes on unmeasured', async () => {
    vi.spyOn(h.telemetry.tracer, 'startSpan').mockImplementation(() => {
      throw new Error('boom from tracer');
    });
    const response = await generate(ai, fakeUsage(USAGE));
    expect(response.text).toBeTypeOf('string');
    expect(h.telemetry.summary().total.requests).toBe(0);
  });
});
