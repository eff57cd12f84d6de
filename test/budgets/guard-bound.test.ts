/**
 * The guard's bound under load, through the real SDK clients against the fake provider counting
 * prompt tokens with a real tokenizer (realistic-tokens.ts): 200 calls at once per case.
 *
 * Spend is computed here from what the provider billed (its recorded usage × the published
 * prices below), not by the library, and checked against the library's own figure.
 * Prices (USD per million tokens, input / output): gpt-4o 2.50 / 10, gpt-4o-mini 0.15 / 0.60,
 * claude-haiku-4-5 1 / 5.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BudgetExceededError } from '../../src/budgets/errors.js';
import { preloadTokenizers } from '../../src/budgets/estimate/index.js';
import type { RegisterOptions } from '../../src/config/options.js';
import {
  type FakeProvider,
  type FakeProviderOptions,
  startFakeProvider,
} from '../../src/demo/fake-provider/index.js';
import { realisticPromptTokens } from '../../src/demo/fake-provider/realistic-tokens.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { makeTelemetry, samples } from '../support/telemetry.js';

const PRICE: Record<string, { input: number; output: number }> = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-2024-08-06': { input: 2.5, output: 10 },
  // The Azure-style deployment name of gpt-4o the fake serves (requests are recorded by it).
  'my-gpt4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'claude-haiku-4-5': { input: 1, output: 5 },
};
const CALLS = 200;

let fake: FakeProvider | undefined;
let t: LLMTelemetry | undefined;
beforeAll(() => preloadTokenizers());
afterEach(async () => {
  await t?.shutdown();
  await fake?.stop();
  t = fake = undefined;
  vi.restoreAllMocks();
});

async function setup(limitUsd: number, fakeOptions: FakeProviderOptions = {}, options: RegisterOptions = {}) {
  fake = await startFakeProvider({
    promptTokens: realisticPromptTokens,
    outputTokens: 50,
    maxConcurrentRequests: 256,
    maxConnections: 256,
    maxBodyBytes: 4 * 1024 * 1024,
    ...fakeOptions,
  });
  t = makeTelemetry({ budgets: [{ name: 'b', limitUsd, window: '1d' }], budgetGuard: true, ...options });
  return { fake, t };
}

/** What the provider billed, per request, from its own usage records and the published prices. */
function billed(provider: FakeProvider): number[] {
  return provider.requests
    .filter((r) => r.usage !== undefined)
    .map((r) => {
      const u = r.usage!;
      const p = PRICE[r.model!]!;
      const input = u.input + u.cacheRead + u.cacheWrite5m + u.cacheWrite1h;
      return (input * p.input + (u.output + u.reasoning) * p.output) / 1e6;
    });
}

async function burst(send: () => Promise<unknown>) {
  const results = await Promise.allSettled(Array.from({ length: CALLS }, send));
  const refused = results
    .filter((r) => r.status === 'rejected')
    .map((r) => (r as PromiseRejectedResult).reason);
  for (const e of refused) if (!(e instanceof BudgetExceededError)) throw e;
  return { admitted: results.length - refused.length, refused: refused as BudgetExceededError[] };
}

/** Spend stays within the limit; the library booked exactly what the provider billed. */
function expectWithinLimit(provider: FakeProvider, telemetry: LLMTelemetry, limitUsd: number) {
  const costs = billed(provider);
  const spent = costs.reduce((a, b) => a + b, 0);
  expect(spent).toBeLessThanOrEqual(limitUsd + 1e-9);
  expect(telemetry.budgets.spentUsd('b')).toBeCloseTo(spent, 9);
  expect(samples(telemetry.metrics(), 'llm_budget_overshoot_total').every((l) => l.endsWith(' 0'))).toBe(
    true,
  );
  return { spent, largest: Math.max(...costs) };
}

const openai = (p: FakeProvider, tel: LLMTelemetry) =>
  tel.instrument(new OpenAI({ apiKey: 'k', baseURL: p.openaiBaseURL, maxRetries: 0 }));

describe('honest estimates: 200 concurrent calls never pass the limit', () => {
  it('a 44,000-character CJK prompt (gpt-4o, counted with its own tokenizer)', async () => {
    const { fake, t } = await setup(2);
    const client = openai(fake, t);
    const body = {
      model: 'gpt-4o',
      max_tokens: 50,
      messages: [{ role: 'user' as const, content: '今日は良い天気ですね。'.repeat(4000) }],
    };
    const { admitted, refused } = await burst(() => client.chat.completions.create(body));
    expect(admitted).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expectWithinLimit(fake, t, 2);
  });

  it('the same CJK prompt to Claude (bounded by its UTF-8 bytes)', async () => {
    const { fake, t } = await setup(2);
    const client = t.instrument(
      new Anthropic({ apiKey: 'k', baseURL: fake.anthropicBaseURL, maxRetries: 0 }),
    );
    const body = {
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      messages: [{ role: 'user' as const, content: '今日は良い天気ですね。'.repeat(4000) }],
    };
    const { admitted, refused } = await burst(() => client.messages.create(body));
    expect(admitted).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expectWithinLimit(fake, t, 2);
  });

  it('one image per call (a 1024×1024 PNG: 765 tokens as gpt-4o bills it)', async () => {
    const { fake, t } = await setup(0.25);
    const client = openai(fake, t);
    const png = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(
      png,
    );
    png.writeUInt32BE(1024, 16);
    png.writeUInt32BE(1024, 20);
    const body = {
      model: 'gpt-4o',
      max_tokens: 50,
      messages: [
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: 'What is in this picture?' },
            {
              type: 'image_url' as const,
              image_url: { url: `data:image/png;base64,${png.toString('base64')}` },
            },
          ],
        },
      ],
    };
    const { admitted, refused } = await burst(() => client.chat.completions.create(body));
    expect(admitted).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expectWithinLimit(fake, t, 0.25);
  });

  it('12,000 small messages, then a large one (gpt-4o-mini)', { timeout: 120_000 }, async () => {
    const { fake, t } = await setup(0.5);
    const client = openai(fake, t);
    const messages = Array.from({ length: 12_000 }, () => ({
      role: 'user' as const,
      content: 'Hello world',
    }));
    messages.push({ role: 'user', content: 'Hello world '.repeat(5000) });
    const body = { model: 'gpt-4o-mini', max_tokens: 50, messages };
    const { admitted, refused } = await burst(() => client.chat.completions.create(body));
    expect(admitted).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expectWithinLimit(fake, t, 0.5);
  });
});

describe('no bypass: an unpriced request model with a priced response model', () => {
  const body = { model: 'my-gpt4o', max_tokens: 50, messages: [{ role: 'user' as const, content: 'hi' }] };
  const responseModels = { 'my-gpt4o': 'gpt-4o-2024-08-06' };

  it('is refused by default: nothing sent, nothing spent, every refusal counted', async () => {
    const { fake, t } = await setup(0.1, { responseModels });
    const { admitted, refused } = await burst(() => openai(fake, t).chat.completions.create(body));
    expect([admitted, refused.length, fake.requests.length]).toEqual([0, CALLS, 0]);
    expect(refused.every((e) => e.reason === 'unpriced_model')).toBe(true);
    expect(samples(t.metrics(), 'llm_budget_refusals_total')).toContain(
      `llm_budget_refusals_total{llm_budget_name="b",reason="unpriced_model"} ${CALLS}`,
    );
  });

  it('priced by an aliasOf override, it is guarded like any other', async () => {
    const prices = { overrides: [{ provider: 'openai', model: 'my-gpt4o', aliasOf: { model: 'gpt-4o' } }] };
    const { fake, t } = await setup(0.1, { responseModels }, { prices });
    const { admitted, refused } = await burst(() => openai(fake, t).chat.completions.create(body));
    expect(admitted).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expectWithinLimit(fake, t, 0.1);
  });
});

describe('a provider that ignores max_tokens: overshoot counted, told, and the budget closed', () => {
  const body = { model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user' as const, content: 'hi' }] };

  it('3× the cap, 200 at once: spend ≤ limit × 3 (the calls in flight overshoot together), then closed', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { fake, t } = await setup(0.1, { outputCapFactor: 3, outputTokens: 1000 });
    const client = openai(fake, t);
    const { admitted } = await burst(() => client.chat.completions.create(body));
    const costs = billed(fake);
    const spent = costs.reduce((a, b) => a + b, 0);
    // Each call reserved ≤ input + 100 output tokens and was billed input + 300: at most 3× its
    // reservation, and the reservations of calls admitted together sum to ≤ the limit.
    expect(spent).toBeGreaterThan(0.1);
    expect(spent).toBeLessThanOrEqual(0.1 * 3 + 1e-9);
    expect(samples(t.metrics(), 'llm_budget_overshoot_total')).toContain(
      `llm_budget_overshoot_total{llm_budget_name="b",reason="output_over_cap"} ${admitted}`,
    );
    const closed = await client.chat.completions.create(body).catch((e: unknown) => e);
    expect(BudgetExceededError.is(closed)?.reason).toBe('closed');
    const told = stderr.mock.calls
      .map(([line]) => String(line))
      .filter((l) => l.includes('output tokens although'));
    expect(told).toEqual([
      expect.stringContaining(
        'the provider returned 300 output tokens although the request capped them at 100',
      ),
    ]);
  });

  it('one call at a time: spend ≤ limit + the largest single call', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { fake, t } = await setup(0.1, { outputCapFactor: 3, outputTokens: 1000 });
    const client = openai(fake, t);
    let refusal: BudgetExceededError | undefined;
    for (let i = 0; i < CALLS && refusal === undefined; i++) {
      refusal = await client.chat.completions.create(body).then(
        () => undefined,
        (e: unknown) => BudgetExceededError.is(e),
      );
    }
    // Refused once spend + the next reservation passes the limit (`limit`), or spend already did (`closed`).
    expect(['limit', 'closed']).toContain(refusal?.reason);
    const costs = billed(fake);
    const spent = costs.reduce((a, b) => a + b, 0);
    expect(spent).toBeLessThanOrEqual(0.1 + Math.max(...costs) + 1e-9);
  });

  it('one response of 999,999,999 tokens: booked in full, the budget closes', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { fake, t } = await setup(0.1, { outputCapFactor: Number.POSITIVE_INFINITY });
    const client = openai(fake, t);
    await client.chat.completions.create(body, {
      headers: { 'x-fake-usage': JSON.stringify({ input: 10, output: 999_999_999 }) },
    });
    // 10 × $2.50/M + 999,999,999 × $10/M
    expect(t.budgets.spentUsd('b')).toBeCloseTo(0.000025 + 9999.99999, 6);
    const closed = await client.chat.completions.create(body).catch((e: unknown) => e);
    expect(BudgetExceededError.is(closed)).toMatchObject({
      reason: 'closed',
      spentUsd: t.budgets.spentUsd('b'),
    });
    expect(fake.requests).toHaveLength(1);
  });
});
