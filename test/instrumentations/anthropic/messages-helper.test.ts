/**
 * The SDK helpers over `create()` — `messages.stream()` (MessageStream, `finalMessage()`) and
 * `beta.messages.create()` — are measured exactly once per request.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import { instrumentAnthropic } from '../../../src/instrumentations/anthropic/index.js';
import { createHarness, fakeUsage, type Harness } from './harness.js';

const MODEL = 'claude-haiku-4-5';
const USAGE = { input: 100, cacheRead: 50, cacheWrite5m: 25, output: 20 };
// claude-haiku-4-5 per MTok: input $1, cache read $0.10, 5-minute write $1.25, output $5
// → 100×1 + 50×0.1 + 25×1.25 + 20×5 = 236.25 → $0.00023625.
const COST = 0.00023625;

let fake: FakeProvider;
let h: Harness;
let client: Anthropic;
const newClient = () =>
  new Anthropic({ apiKey: 'sk-ant-dummy', baseURL: fake.anthropicBaseURL, maxRetries: 0 });
const params = { model: MODEL, max_tokens: 1024, messages: [{ role: 'user' as const, content: 'hi' }] };

beforeAll(async () => {
  fake = await startFakeProvider();
  h = createHarness();
});
beforeEach(() => {
  client = instrumentAnthropic(h.telemetry, newClient());
});
afterEach(() => h.reset());
afterAll(async () => {
  await h.shutdown();
  await fake.stop();
});

describe('messages.stream() helper', () => {
  it('finalMessage() and the text events are as without us; the request is recorded once', async () => {
    const texts: string[] = [];
    const stream = client.messages.stream(params, { headers: fakeUsage(USAGE) });
    stream.on('text', (t) => texts.push(t));
    const message = await stream.finalMessage();

    const plainTexts: string[] = [];
    const plain = newClient().messages.stream(params, { headers: fakeUsage(USAGE) });
    plain.on('text', (t) => plainTexts.push(t));
    const plainMessage = await plain.finalMessage();

    expect(texts).toEqual(plainTexts);
    expect({ ...message, id: 'x' }).toEqual({ ...plainMessage, id: 'x' });
    const total = h.telemetry.summary().total;
    expect(total).toMatchObject({ requests: 1, successes: 1 });
    expect(total.tokens).toEqual({
      input: 100,
      cache_read: 50,
      cache_write: 25,
      output: 20,
      reasoning: 0,
      total: 195,
    });
    expect(total.costUsd).toBeCloseTo(COST, 12);
    expect(h.ourSpans()).toHaveLength(1);
  });

  it('async iteration of the MessageStream is measured once', async () => {
    const types: string[] = [];
    for await (const event of client.messages.stream(params, { headers: fakeUsage(USAGE) }))
      types.push(event.type);
    expect(types.at(-1)).toBe('message_stop');
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, successes: 1 });
  });

  it('stream.abort() after the first text: one aborted record with the prompt usage known', async () => {
    const stream = client.messages.stream(params, {
      headers: { ...fakeUsage(USAGE), 'x-fake-chunk-delay-ms': '20' },
    });
    stream.on('text', () => stream.abort());
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
    const total = h.telemetry.summary().total;
    expect(total).toMatchObject({ requests: 1, aborted: 1 });
    expect(total.tokens).toMatchObject({ input: 100, cache_read: 50, cache_write: 25, output: 1 });
    expect(h.sample('llm_usage_missing_total', { reason: 'stream_aborted' })).toBe(1);
  });
});

describe('beta.messages.create', () => {
  it('is measured like messages.create', async () => {
    const message = await client.beta.messages.create(params, { headers: fakeUsage(USAGE) });
    expect(message.usage.input_tokens).toBe(100);
    expect(h.telemetry.summary().total.costUsd).toBeCloseTo(COST, 12);
    expect(h.telemetry.summary().total.requests).toBe(1);
  });
});
