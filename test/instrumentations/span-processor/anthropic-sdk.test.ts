/**
 * The Anthropic SDK's own OpenTelemetry spans (`openTelemetry: { tracerProvider }`), priced by
 * `LLMCostSpanProcessor`: cache reads and 5-minute / 1-hour writes apart, errors, streams — and
 * exactly once when our wrapper measures the same client (its spans nest under or around ours).
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, until, usageHeaders } from './harness.js';

const BODY = {
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Say hello to the test suite' }],
};
const USAGE = { input: 100, cacheRead: 600, cacheWrite5m: 100, cacheWrite1h: 200, output: 50 };
const INCLUSIVE = {
  inputTokens: 1000,
  outputTokens: 50,
  cacheReadTokens: 600,
  cacheWriteTokens: 300,
  cacheWrite1hTokens: 200,
};

describe('Anthropic SDK tracing → LLMCostSpanProcessor', () => {
  let h: Harness;
  const client = () =>
    new Anthropic({
      baseURL: h.fake.anthropicBaseURL,
      apiKey: 'sk-ant-test',
      maxRetries: 0,
      openTelemetry: { tracerProvider: h.tracerProvider },
    });
  const sdkSpans = () => h.spans().filter((s) => s.instrumentationScope.name.includes('anthropic'));
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  it('messages.create: priced once with cache reads and both cache-write TTLs apart', async () => {
    await client().messages.create(BODY, { headers: usageHeaders(USAGE) });
    await until(() => h.calls.length === 1);
    expect(sdkSpans().length).toBeGreaterThan(0);
    expect(h.calls[0]).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      apiOperation: 'chat',
      outcome: 'success',
      usage: INCLUSIVE,
      span: null,
    });
    const total = h.telemetry.summary().total;
    expect(total.tokens).toMatchObject({ input: 100, cache_read: 600, cache_write: 300, output: 50 });
    // claude-sonnet-4-5 per MTok: input $3, cache read $0.30, 5-minute write $3.75, 1-hour write $6,
    // output $15: 100×3 + 600×0.30 + 100×3.75 + 200×6 + 50×15 = 2805 → $0.002805.
    expect(total.costUsd).toBeCloseTo(0.002805, 12);
  });

  it('messages.create({ stream: true }): priced once from the merged stream usage', async () => {
    const stream = await client().messages.create(
      { ...BODY, stream: true },
      { headers: usageHeaders(USAGE) },
    );
    for await (const _ of stream) {
      // drain
    }
    // Every span ended: no second record can still come.
    await until(() => h.calls.length === 1 && h.openSpans() === 0);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({ outcome: 'success', usage: { inputTokens: 1000, outputTokens: 50 } });
  });

  it('an API error is one error request with the SDK’s error.type', async () => {
    await expect(
      client().messages.create(BODY, { headers: { 'x-fake-scenario': 'error-429' } }),
    ).rejects.toThrow();
    await until(() => h.calls.length === 1);
    expect(h.calls[0]).toMatchObject({ provider: 'anthropic', outcome: 'error' });
    expect(h.calls[0]?.errorType).toMatch(/rate_limit|RateLimit|429/);
    expect(h.calls[0]?.usage).toBeUndefined();
  });

  it('with our wrapper on the client: create() counts once (the SDK span is our child)', async () => {
    const c = h.telemetry.instrument(client());
    await c.messages.create(BODY, { headers: usageHeaders(USAGE) });
    await until(() => sdkSpans().length > 0 && h.calls.length > 0 && h.openSpans() === 0);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]?.span).not.toBeNull();
    expect(h.telemetry.summary().total.requests).toBe(1);
  });

  it('with our wrapper on the client: messages.stream() counts once (helper span around ours)', async () => {
    const c = h.telemetry.instrument(client());
    const message = await c.messages.stream(BODY, { headers: usageHeaders(USAGE) }).finalMessage();
    expect(message.usage.output_tokens).toBe(50);
    await until(() => h.calls.length > 0 && h.openSpans() === 0);
    expect(sdkSpans().length).toBeGreaterThan(0);
    expect(h.calls).toHaveLength(1);
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, tokens: { cache_read: 600 } });
  });
});
