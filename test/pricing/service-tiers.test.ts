/**
 * Service tiers, hand-computed from the published rates (USD per million tokens):
 * - OpenAI priority (openai.com/api-priority-processing): gpt-5.5 $12.50 in / $1.25 cached / $75 out
 *   (standard $5 / $0.50 / $30; long context past 271,999 prompt tokens $10 / $1 / $45);
 * - OpenAI flex and Batch API: half the standard price;
 * - Anthropic Message Batches: half, cache reads and writes included;
 * - Gemini API batch: half; Vertex AI batch: half, but cached tokens keep the cache rate.
 */
import { describe, expect, it } from 'vitest';
import { PriceBook, PriceConfigError } from '../../src/pricing/index.js';
import type { PriceCallInput, PriceResult } from '../../src/types.js';

const book = new PriceBook();

function cost(result: PriceResult): number {
  if (!result.priced) throw new Error(result.message);
  return result.costUsd;
}
const gpt55 = (extra: Partial<PriceCallInput>, usage = { inputTokens: 1_000, outputTokens: 500 }) =>
  book.price({ provider: 'openai', model: 'gpt-5.5', usage, ...extra });

describe('OpenAI service_tier', () => {
  it('standard (default / auto / absent): 1000×5 + 500×30 = 20000 µ$', () => {
    for (const serviceTier of [undefined, 'default', 'auto', 'DEFAULT']) {
      expect(cost(gpt55({ serviceTier }))).toBeCloseTo(0.02, 15);
    }
  });

  it('priority: 1000×12.5 + 500×75 = 50000 µ$', () => {
    const result = gpt55({ serviceTier: 'priority' });
    expect(cost(result)).toBeCloseTo(0.05, 15);
    expect(result.priced && result.entry).toMatchObject({ serviceTier: 'priority', matchedBy: 'exact' });
  });

  it('priority with cached input: 6000×12.5 + 4000×1.25 + 1000×75 = 155000 µ$', () => {
    const usage = { inputTokens: 10_000, cacheReadTokens: 4_000, outputTokens: 1_000 };
    expect(cost(gpt55({ serviceTier: 'priority' }, usage))).toBeCloseTo(0.155, 15);
  });

  it('priority at the long-context boundary (271,999 prompt tokens) keeps base priority rates', () => {
    // 271999×12.5 + 1000×75 = 3,399,987.5 + 75,000 = 3,474,987.5 µ$
    const usage = { inputTokens: 271_999, outputTokens: 1_000 };
    expect(cost(gpt55({ serviceTier: 'priority' }, usage))).toBeCloseTo(3.4749875, 12);
  });

  it('priority past the boundary scales the long-context rates by the published ratio (2.5×)', () => {
    // long context $10 / $45 × 2.5 = $25 / $112.5: 300000×25 + 1000×112.5 = 7,500,000 + 112,500 µ$
    const usage = { inputTokens: 300_000, outputTokens: 1_000 };
    expect(cost(gpt55({ serviceTier: 'priority' }, usage))).toBeCloseTo(7.6125, 12);
  });

  it('flex: 1000×2.5 + 500×15 = 10000 µ$', () => {
    expect(cost(gpt55({ serviceTier: 'flex' }))).toBeCloseTo(0.01, 15);
  });

  it('batch on gpt-4o: 1000×1.25 + 500×5 = 3750 µ$', () => {
    const result = book.price({
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 1_000, outputTokens: 500 },
      serviceTier: 'batch',
    });
    expect(cost(result)).toBeCloseTo(0.00375, 15);
  });

  it("the response's tier wins over the request's", () => {
    expect(cost(gpt55({ serviceTier: 'flex', requestServiceTier: 'priority' }))).toBeCloseTo(0.01, 15);
    expect(cost(gpt55({ requestServiceTier: 'priority' }))).toBeCloseTo(0.05, 15);
    // The response says it ran at the default tier: standard, whatever was asked.
    expect(cost(gpt55({ serviceTier: 'default', requestServiceTier: 'priority' }))).toBeCloseTo(0.02, 15);
  });
});

describe('Anthropic and Gemini batch', () => {
  it('Anthropic batch halves every bucket, cache included', () => {
    // claude-sonnet-5 batch: input 4000×1 + cache read 4000×0.1 + 5m write 2000×1.25 + output 1000×5
    // = 4000 + 400 + 2500 + 5000 = 11900 µ$
    const result = book.price({
      provider: 'anthropic',
      model: 'claude-sonnet-5',
      usage: { inputTokens: 10_000, cacheReadTokens: 4_000, cacheWriteTokens: 2_000, outputTokens: 1_000 },
      serviceTier: 'batch',
    });
    expect(cost(result)).toBeCloseTo(0.0119, 15);
  });

  it('Gemini API batch: gemini-2.5-flash 6000×0.15 + 4000×0.015 + 500×1.25 = 1585 µ$', () => {
    const usage = { inputTokens: 10_000, cacheReadTokens: 4_000, outputTokens: 500 };
    const result = book.price({
      provider: 'gcp.gemini',
      model: 'gemini-2.5-flash',
      usage,
      serviceTier: 'batch',
    });
    expect(cost(result)).toBeCloseTo(0.001585, 15);
  });

  it('Vertex batch keeps the cache rate: 6000×0.15 + 4000×0.03 + 500×1.25 = 1645 µ$', () => {
    const usage = { inputTokens: 10_000, cacheReadTokens: 4_000, outputTokens: 500 };
    const result = book.price({
      provider: 'gcp.vertex_ai',
      model: 'gemini-2.5-flash',
      usage,
      serviceTier: 'batch',
    });
    expect(cost(result)).toBeCloseTo(0.001645, 15);
  });
});

describe('a tier without a price is never silent', () => {
  it('OpenAI scale has no per-token price: standard rates, flagged approximate', () => {
    const result = gpt55({ serviceTier: 'scale' });
    expect(cost(result)).toBeCloseTo(0.02, 15);
    expect(result.priced && result.entry).toMatchObject({
      matchedBy: 'approximate',
      serviceTier: 'scale',
      matchedRule: 'service tier "scale" has no price for openai/gpt-5.5: standard rates',
    });
  });

  it('Anthropic priority (no published per-token rate) is unpriced under strictPricing', () => {
    const strict = new PriceBook({ strictPricing: true });
    const result = strict.price({
      provider: 'anthropic',
      model: 'claude-sonnet-5',
      usage: { inputTokens: 1, outputTokens: 1 },
      serviceTier: 'priority',
    });
    expect(result.priced).toBe(false);
    expect(!result.priced && result.message).toContain('at service tier "priority"');
  });

  it('a prices.serviceTiers entry prices it (and wins over the built-in table)', () => {
    const custom = new PriceBook({
      serviceTiers: [
        { provider: 'openai', tier: 'scale', multiplier: 1 },
        { provider: 'openai', tier: 'flex', model: 'gpt-5.5', multiplier: 0.4 },
      ],
    });
    const scale = custom.price({
      provider: 'openai',
      model: 'gpt-5.5',
      usage: { inputTokens: 1_000, outputTokens: 500 },
      serviceTier: 'scale',
    });
    expect(scale.priced && scale.entry.matchedBy).toBe('exact');
    // flex at 0.4: 20000 µ$ × 0.4 = 8000 µ$
    const flex = custom.price({
      provider: 'openai',
      model: 'gpt-5.5',
      usage: { inputTokens: 1_000, outputTokens: 500 },
      serviceTier: 'flex',
    });
    expect(cost(flex)).toBeCloseTo(0.008, 15);
  });
});

describe('serviceTiers entries are validated', () => {
  const bad: ReadonlyArray<[unknown, string]> = [
    [{ provider: 'openai', tier: 'flex', multiplier: 1e308 }, 'multiplier must be at most 100, got 1e+308'],
    [{ provider: 'openai', tier: 'flex', multiplier: -1 }, 'multiplier must be a positive number, got -1'],
    [{ provider: 'openai', tier: 'flex' }, 'multiplier/rates exactly one is required'],
    [
      { provider: 'openai', tier: 'priority', model: 'gpt-5.5', rates: { input: 1e308, output: 1 } },
      'rates.input must be at most 1000000 USD per million tokens, got 1e+308',
    ],
    [{ provider: 'openai', tier: 'priority', rates: { input: 1, output: 1 } }, 'rates need a model'],
  ];
  for (const [entry, message] of bad) {
    it(message, () => {
      expect(() => new PriceBook({ serviceTiers: [entry as never] })).toThrow(PriceConfigError);
      expect(() => new PriceBook({ serviceTiers: [entry as never] })).toThrow(
        `overrides: serviceTiers entry 0: ${message}`,
      );
    });
  }
});
