/**
 * `models.generateContentStream()` through the real Google GenAI SDK against the fake provider:
 * the caller's chunks untouched, usage from the last chunk, and every way a stream ends recorded
 * once with the usage known by then.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import { instrumentGemini } from '../../../src/instrumentations/gemini/index.js';
import { collect, createHarness, fakeUsage, type Harness } from '../anthropic/harness.js';

const MODEL = 'gemini-2.0-flash';
// gemini-2.0-flash per MTok: input $0.10, cached input $0.025, output $0.40
// → 30×0.10 + 10×0.025 + 20×0.40 = 11.25 → $0.00001125.
const USAGE = { input: 30, cacheRead: 10, output: 20 };
const COST = 0.00001125;

let fake: FakeProvider;
let h: Harness;
let ai: GoogleGenAI;
const newClient = () =>
  new GoogleGenAI({ apiKey: 'gemini-dummy-key', httpOptions: { baseUrl: fake.geminiBaseURL } });
const streamOn = (target: GoogleGenAI, headers: Record<string, string> = {}, abortSignal?: AbortSignal) =>
  target.models.generateContentStream({
    model: MODEL,
    contents: 'hi',
    config: {
      httpOptions: { headers: { ...fakeUsage(USAGE), ...headers } },
      ...(abortSignal ? { abortSignal } : {}),
    },
  });
const comparable = (chunks: object[]) =>
  chunks.map((c) => ({ ...c, responseId: 'x', sdkHttpResponse: undefined }));

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

describe('generateContentStream: the caller sees the same chunks', () => {
  it('resolves to an async generator whose chunks equal the uninstrumented ones', async () => {
    const stream = await streamOn(ai);
    expect(typeof stream.next).toBe('function');
    expect(typeof stream.return).toBe('function');
    expect(stream[Symbol.asyncIterator]()).toBe(stream);
    const chunks = await collect(stream);
    const plain = await collect(await streamOn(newClient()));
    expect(chunks).toHaveLength(20);
    expect(comparable(chunks)).toEqual(comparable(plain));
  });
});

describe('generateContentStream: usage from the last chunk', () => {
  it('records the complete usage of the final chunk, once', async () => {
    await collect(await streamOn(ai));
    const total = h.telemetry.summary().total;
    expect(total).toMatchObject({ requests: 1, successes: 1 });
    expect(total.tokens).toEqual({
      input: 30,
      cache_read: 10,
      cache_write: 0,
      output: 20,
      reasoning: 0,
      total: 60,
    });
    expect(total.costUsd).toBeCloseTo(COST, 12);
    const span = h.ourSpans()[0]!;
    expect(span.name).toBe(`generate_content ${MODEL}`);
    expect(span.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 20,
    });
    expect(h.sample('llm_usage_missing_total')).toBe(0);
  });

  it('a stream with no usageMetadata at all: success, stream_no_usage, no tokens', async () => {
    const chunks = await collect(await streamOn(ai, { 'x-fake-scenario': 'no-usage' }));
    expect(chunks.every((c) => c.usageMetadata === undefined)).toBe(true);
    expect(h.telemetry.summary().total).toMatchObject({ successes: 1, costUsd: 0 });
    expect(h.telemetry.summary().total.tokens.total).toBe(0);
    expect(h.sample('llm_usage_missing_total', { reason: 'stream_no_usage' })).toBe(1);
  });
});

describe('generateContentStream: every way a stream ends is recorded once', () => {
  it('consumer break after 3 chunks: aborted, with the cumulative usage of chunk 3', async () => {
    let n = 0;
    for await (const _ of await streamOn(ai)) if (++n === 3) break;
    const total = h.telemetry.summary().total;
    expect(total).toMatchObject({ requests: 1, aborted: 1 });
    expect(total.tokens).toMatchObject({ input: 30, cache_read: 10, output: 3 });
    expect(h.sample('llm_usage_missing_total', { reason: 'stream_aborted' })).toBe(1);
  });

  it('abortSignal mid-stream: the AbortError reaches the caller; aborted with known usage', async () => {
    const controller = new AbortController();
    let n = 0;
    const error = await (async () => {
      for await (const _ of await streamOn(ai, { 'x-fake-chunk-delay-ms': '20' }, controller.signal)) {
        if (++n === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, aborted: 1 });
    expect(h.telemetry.summary().total.tokens).toMatchObject({ input: 30, output: 2 });
  });

  it('connection cut mid-stream: the error reaches the caller; aborted with known usage', async () => {
    const error = await collect(
      await streamOn(ai, { 'x-fake-scenario': 'cut-mid-stream', 'x-fake-cut-after': '4' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, aborted: 1 });
    expect(h.telemetry.summary().total.tokens).toMatchObject({ input: 30, output: 4 });
  });

  it('in-stream error chunk: the same ApiError reaches the caller; error with known usage', async () => {
    const error = await collect(
      await streamOn(ai, { 'x-fake-scenario': 'error-mid-stream', 'x-fake-cut-after': '2' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(h.sample('llm_requests_total', { llm_outcome: 'error', error_type: 'ApiError' })).toBe(1);
    expect(h.sample('llm_usage_missing_total', { reason: 'stream_error' })).toBe(1);
    expect(h.telemetry.summary().total.tokens).toMatchObject({ input: 30, output: 2 });
  });

  it('an HTTP error before the stream: rejected with the ApiError, recorded as error', async () => {
    const error = await streamOn(ai, { 'x-fake-scenario': 'error-429' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, errors: 1 });
  });

  it('record() throwing: the caller reads every chunk', async () => {
    vi.spyOn(h.telemetry, 'record').mockImplementation(() => {
      throw new Error('boom from record');
    });
    expect(await collect(await streamOn(ai))).toHaveLength(20);
  });
});
