/**
 * `messages.create({ stream: true })` through the real Anthropic SDK against the fake provider:
 * usage merged across `message_start` and `message_delta`, the caller's events untouched, the
 * SDK's Stream kept, and every way a stream can end recorded once with the usage known by then.
 */
import Anthropic, { APIPromise } from '@anthropic-ai/sdk';
import { Stream } from '@anthropic-ai/sdk/streaming';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import { instrumentAnthropic } from '../../../src/instrumentations/anthropic/index.js';
import { collect, createHarness, fakeUsage, type Harness, usageAttributes } from './harness.js';

const MODEL = 'claude-haiku-4-5';
// Disjoint buckets the fake reports; claude-haiku-4-5 per MTok: input $1, cache read $0.10,
// 1-hour write $2, output $5 → 10×1 + 20×0.1 + 30×2 + 40×5 = 272 → $0.000272.
const USAGE = { input: 10, cacheRead: 20, cacheWrite1h: 30, output: 40 };
const COST = 0.000272;
// What message_start reports before any output: the prompt (10 + 20 + 30) and output_tokens 1.
const START_TOKENS = { input: 10, cache_read: 20, cache_write: 30, output: 1, reasoning: 0, total: 61 };

let fake: FakeProvider;
let h: Harness;
let client: Anthropic;
let bare: Anthropic;

const newClient = () =>
  new Anthropic({ apiKey: 'sk-ant-dummy', baseURL: fake.anthropicBaseURL, maxRetries: 0 });

beforeAll(async () => {
  fake = await startFakeProvider();
  h = createHarness();
  bare = newClient();
});
beforeEach(() => {
  client = instrumentAnthropic(h.telemetry, newClient());
});
afterEach(() => h.reset());
afterAll(async () => {
  await h.shutdown();
  await fake.stop();
});

function streamOn(target: Anthropic, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return target.messages.create(
    { model: MODEL, max_tokens: 1024, stream: true, messages: [{ role: 'user', content: 'hi' }] },
    { headers: { ...fakeUsage(USAGE), ...headers }, ...(signal ? { signal } : {}) },
  );
}

/** Events with the per-request message id blanked, for comparing two requests. */
const comparable = (events: unknown[]) =>
  JSON.parse(JSON.stringify(events).replace(/"msg_01[^"]*"/g, '"msg"'));

describe('stream: true — the caller sees the SDK objects and events unchanged', () => {
  it('returns the APIPromise of the SDK Stream; the event sequence equals the uninstrumented one', async () => {
    const promise = streamOn(client);
    expect(promise).toBeInstanceOf(APIPromise);
    const stream = await promise;
    expect(stream).toBeInstanceOf(Stream);
    const events = await collect(stream);
    const plain = await collect(await streamOn(bare));
    expect(comparable(events)).toEqual(comparable(plain));
    expect(events.map((e) => e.type).slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(events.at(-1)?.type).toBe('message_stop');
  });

  it('.withResponse() gives the Stream and the Response', async () => {
    const { data, response } = await streamOn(client).withResponse();
    expect(data).toBeInstanceOf(Stream);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    await collect(data);
    expect(h.telemetry.summary().total.requests).toBe(1);
  });

  it('.tee() splits the stream; the call is recorded once with full usage', async () => {
    const [left, right] = (await streamOn(client)).tee();
    const [a, b] = await Promise.all([collect(left), collect(right)]);
    expect(a).toEqual(b);
    expect(h.telemetry.summary().total.requests).toBe(1);
    expect(h.telemetry.summary().total.costUsd).toBeCloseTo(COST, 12);
  });

  it('.toReadableStream() still works and is measured', async () => {
    const readable = (await streamOn(client)).toReadableStream();
    const text = await new Response(readable).text();
    expect(text.trim().split('\n').length).toBeGreaterThan(3);
    expect(h.telemetry.summary().total.tokens).toMatchObject({ input: 10, cache_write: 30, output: 40 });
  });
});

describe('stream: true — usage merged field by field', () => {
  it('input and cache counts from message_start, output from message_delta; 1-hour writes priced apart', async () => {
    await collect(await streamOn(client));
    const total = h.telemetry.summary().total;
    expect(total.tokens).toEqual({
      input: 10,
      cache_read: 20,
      cache_write: 30,
      output: 40,
      reasoning: 0,
      total: 100,
    });
    expect(total.costUsd).toBeCloseTo(COST, 12);
    const span = h.ourSpans()[0]!;
    expect(span.name).toBe(`chat ${MODEL}`);
    expect(usageAttributes(span.attributes)).toMatchObject({
      'gen_ai.usage.input_tokens': 60,
      'gen_ai.usage.output_tokens': 40,
      'gen_ai.usage.cache_read.input_tokens': 20,
      'gen_ai.usage.cache_write.input_tokens': 30,
      'gen_ai.usage.cost.currency': 'USD',
    });
    expect(h.sample('llm_usage_missing_total')).toBe(0);
  });

  it('a stream whose message_delta has no usage records message_start usage with stream_no_usage', async () => {
    const events = await collect(await streamOn(client, { 'x-fake-scenario': 'no-usage' }));
    expect(events.at(-1)?.type).toBe('message_stop');
    expect(h.telemetry.summary().total).toMatchObject({ successes: 1, tokens: START_TOKENS });
    expect(h.sample('llm_usage_missing_total', { reason: 'stream_no_usage' })).toBe(1);
  });
});

describe('stream: true — every way a stream ends is recorded once', () => {
  it('consumer break after 3 events: aborted, with the usage known by then', async () => {
    let n = 0;
    for await (const _ of await streamOn(client)) if (++n === 3) break;
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, aborted: 1, tokens: START_TOKENS });
    expect(h.sample('llm_usage_missing_total', { reason: 'stream_aborted' })).toBe(1);
    expect(h.ourSpans()[0]?.attributes['llm.outcome']).toBe('aborted');
  });

  it('AbortSignal mid-stream: the SDK ends the stream quietly; recorded as aborted', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const event of await streamOn(client, { 'x-fake-chunk-delay-ms': '20' }, controller.signal)) {
      seen.push(event.type);
      if (seen.length === 3) controller.abort();
    }
    expect(seen).toHaveLength(3);
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, aborted: 1, tokens: START_TOKENS });
  });

  it('connection cut mid-stream: the SDK error reaches the caller; aborted with known usage', async () => {
    const stream = await streamOn(client, { 'x-fake-scenario': 'cut-mid-stream', 'x-fake-cut-after': '4' });
    const error = await collect(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, aborted: 1, tokens: START_TOKENS });
  });

  it('in-stream error event: the same APIError reaches the caller; error with known usage', async () => {
    const stream = await streamOn(client, { 'x-fake-scenario': 'error-mid-stream', 'x-fake-cut-after': '4' });
    const error = await collect(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, errors: 1, tokens: START_TOKENS });
    expect(h.sample('llm_requests_total', { llm_outcome: 'error', error_type: 'APIError' })).toBe(1);
    expect(h.sample('llm_usage_missing_total', { reason: 'stream_error' })).toBe(1);
  });

  it('an HTTP error before the stream starts: the same error object, error outcome, no usage', async () => {
    const error = await streamOn(client, { 'x-fake-scenario': 'error-429' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(h.sample('llm_requests_total', { llm_outcome: 'error', error_type: 'RateLimitError' })).toBe(1);
    expect(h.telemetry.summary().total.tokens.total).toBe(0);
  });

  it('record() throwing mid-stream: the caller reads every event', async () => {
    vi.spyOn(h.telemetry, 'record').mockImplementation(() => {
      throw new Error('boom from record');
    });
    const events = await collect(await streamOn(client));
    expect(events.at(-1)?.type).toBe('message_stop');
  });
});
