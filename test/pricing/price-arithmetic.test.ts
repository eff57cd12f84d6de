/**
 * Cost arithmetic, case by case, hand-computed from the providers' published prices (USD per
 * million tokens) and cross-checked against genai-prices' own calculation.
 */
import { describe, expect, it } from 'vitest';
import { PriceBook } from '../../src/pricing/index.js';
import type { PriceCallInput, TokenUsage } from '../../src/types.js';
import { catalogTotal } from './catalog-agrees.js';
import { expectPriced, type PricedResult } from './support.js';

const book = new PriceBook();

const priced = (input: PriceCallInput): PricedResult => expectPriced(book.price(input));

function sumOf(result: PricedResult): number {
  const b = result.breakdown;
  return b.input + b.cache_read + b.cache_write + b.output + b.reasoning;
}

describe('OpenAI', () => {
  it('gpt-4o with cached input', () => {
    // gpt-4o: $2.50 in, $1.25 cached, $10 out → 1000 in (200 cached) + 500 out
    //   = 800×2.5 + 200×1.25 + 500×10 = 2000 + 250 + 5000 = 7250 µ$ = $0.00725
    const usage: TokenUsage = { inputTokens: 1_000, cacheReadTokens: 200, outputTokens: 500 };
    const result = priced({ provider: 'openai', model: 'gpt-4o', usage });
    expect(result.costUsd).toBeCloseTo(0.00725, 15);
    expect(result.breakdown).toEqual({
      input: 0.002,
      cache_read: 0.00025,
      cache_write: 0,
      output: 0.005,
      reasoning: 0,
    });
    expect(result.costUsd).toBeCloseTo(catalogTotal('openai', 'gpt-4o', usage), 15);
  });

  it('gpt-4o-mini with cached input', () => {
    // gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out → 10,000 in (4,000 cached) + 2,000 out
    //   = 6000×0.15 + 4000×0.075 + 2000×0.6 = 900 + 300 + 1200 = 2400 µ$ = $0.0024
    const usage: TokenUsage = { inputTokens: 10_000, cacheReadTokens: 4_000, outputTokens: 2_000 };
    const result = priced({ provider: 'openai', model: 'gpt-4o-mini', usage });
    expect(result.costUsd).toBeCloseTo(0.0024, 15);
    expect(result.costUsd).toBeCloseTo(catalogTotal('openai', 'gpt-4o-mini', usage), 15);
  });

  it('o4-mini bills reasoning tokens at the output rate', () => {
    // o4-mini: $1.10 in, $4.40 out (no separate reasoning price) → 2,000 in + 3,000 out of which
    //   2,500 reasoning = 2000×1.1 + 500×4.4 + 2500×4.4 = 2200 + 2200 + 11000 = 15400 µ$ = $0.0154
    const usage: TokenUsage = { inputTokens: 2_000, outputTokens: 3_000, reasoningTokens: 2_500 };
    const result = priced({ provider: 'openai', model: 'o4-mini', usage });
    expect(result.costUsd).toBeCloseTo(0.0154, 15);
    expect(result.breakdown.output).toBeCloseTo(0.0022, 15);
    expect(result.breakdown.reasoning).toBeCloseTo(0.011, 15);
    expect(result.entry.ratesPerMTok.reasoning).toBe(4.4);
    expect(result.costUsd).toBeCloseTo(catalogTotal('openai', 'o4-mini', usage), 15);
  });
});

describe('Anthropic cache reads and 5-minute / 1-hour writes', () => {
  it('claude sonnet 4: reads 0.1×, 5m writes 1.25×, 1h writes 2× base input', () => {
    // claude-sonnet-4: $3 in, $0.30 read, $3.75 5m write, $6 1h write, $15 out.
    // 10,000 prompt = 2,000 base + 5,000 read + 3,000 written (1,000 of them 1h); 1,000 out
    //   = 2000×3 + 5000×0.3 + 2000×3.75 + 1000×6 + 1000×15
    //   = 6000 + 1500 + 7500 + 6000 + 15000 = 36000 µ$ = $0.036
    const usage: TokenUsage = {
      inputTokens: 10_000,
      cacheReadTokens: 5_000,
      cacheWriteTokens: 3_000,
      cacheWrite1hTokens: 1_000,
      outputTokens: 1_000,
    };
    const result = priced({ provider: 'anthropic', model: 'claude-sonnet-4-20250514', usage });
    expect(result.costUsd).toBeCloseTo(0.036, 15);
    expect(result.breakdown).toEqual({
      input: 0.006,
      cache_read: 0.0015,
      cache_write: 0.0135,
      output: 0.015,
      reasoning: 0,
    });
    expect(result.entry).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-0',
      // The catalog's rule `starts_with: claude-sonnet-4-2025` reaches into the date stamp.
      matchedBy: 'snapshot',
    });
    expect(result.costUsd).toBeCloseTo(catalogTotal('anthropic', 'claude-sonnet-4-20250514', usage), 15);
  });

  it('claude 3.5 haiku', () => {
    // claude-3-5-haiku: $0.80 in, $0.08 read, $1.00 5m write (1.25×), $1.60 1h write (2×), $4 out.
    // 4,000 prompt = 1,000 base + 1,000 read + 2,000 written (500 of them 1h); 800 out
    //   = 1000×0.8 + 1000×0.08 + 1500×1 + 500×1.6 + 800×4 = 800 + 80 + 1500 + 800 + 3200 = 6380 µ$
    const usage: TokenUsage = {
      inputTokens: 4_000,
      cacheReadTokens: 1_000,
      cacheWriteTokens: 2_000,
      cacheWrite1hTokens: 500,
      outputTokens: 800,
    };
    const result = priced({ provider: 'anthropic', model: 'claude-3-5-haiku-20241022', usage });
    expect(result.costUsd).toBeCloseTo(0.00638, 15);
    expect(result.breakdown.cache_write).toBeCloseTo(0.0023, 15);
    expect(result.costUsd).toBeCloseTo(catalogTotal('anthropic', 'claude-3-5-haiku-20241022', usage), 15);
  });

  it('uses 2× base input for 1-hour writes when the entry has no 1-hour price', () => {
    // Custom price with 5m writes only: $1 in, $1.25 5m write → 1h write = 2 × $1 = $2
    // 1,000 prompt all written for 1h = 1000×2 = 2000 µ$ = $0.002
    const custom = new PriceBook({
      overrides: [
        {
          provider: 'anthropic',
          model: 'claude-private',
          inputPerMTok: 1,
          outputPerMTok: 5,
          cacheWritePerMTok: 1.25,
        },
      ],
    });
    const result = custom.price({
      provider: 'anthropic',
      model: 'claude-private',
      usage: { inputTokens: 1_000, cacheWriteTokens: 1_000, cacheWrite1hTokens: 1_000, outputTokens: 0 },
    });
    expect(result).toMatchObject({ priced: true, costUsd: 0.002 });
  });
});

describe('Gemini', () => {
  it('gemini 2.5 flash bills thoughts at the output rate', () => {
    // gemini-2.5-flash: $0.30 in, $2.50 out. promptTokenCount 1,000; candidates 200 + thoughts 800
    //   → inclusive output 1,000 of which 800 reasoning
    //   = 1000×0.3 + 200×2.5 + 800×2.5 = 300 + 500 + 2000 = 2800 µ$ = $0.0028
    const usage: TokenUsage = { inputTokens: 1_000, outputTokens: 1_000, reasoningTokens: 800 };
    const result = priced({ provider: 'gcp.gemini', model: 'gemini-2.5-flash', usage });
    expect(result.costUsd).toBeCloseTo(0.0028, 15);
    expect(result.breakdown.reasoning).toBeCloseTo(0.002, 15);
    expect(result.costUsd).toBeCloseTo(catalogTotal('google', 'gemini-2.5-flash', usage), 15);
  });
});

describe('zero tokens', () => {
  it('prices a call with no tokens at exactly $0 (priced, not unpriced)', () => {
    const result = book.price({
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 0, outputTokens: 0 },
    });
    expect(result).toMatchObject({
      priced: true,
      costUsd: 0,
      breakdown: { input: 0, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 },
    });
  });
});

describe('the breakdown sums to costUsd', () => {
  it.each([
    [
      'openai',
      'gpt-4o',
      { inputTokens: 1_234, cacheReadTokens: 321, outputTokens: 777, reasoningTokens: 11 },
    ],
    [
      'anthropic',
      'claude-sonnet-4-5',
      {
        inputTokens: 250_000,
        cacheReadTokens: 9_999,
        cacheWriteTokens: 3_333,
        cacheWrite1hTokens: 1_111,
        outputTokens: 4_321,
      },
    ],
    [
      'gcp.gemini',
      'gemini-2.5-pro',
      { inputTokens: 123_457, cacheReadTokens: 1, outputTokens: 98_765, reasoningTokens: 5_000 },
    ],
  ] as const)('%s %s', (provider, model, usage) => {
    const result = priced({ provider, model, usage });
    expect(sumOf(result)).toBe(result.costUsd);
    expect(result.costUsd).toBeGreaterThan(0);
  });
});

describe('invalid usage is never priced', () => {
  it('returns priced:false with the reason', () => {
    expect(
      book.price({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: -5, outputTokens: 1 } }),
    ).toEqual({
      priced: false,
      reason: 'invalid-usage',
      message: 'cannot price gpt-4o: inputTokens must be a finite non-negative number, got -5',
    });
  });

  it('prices inconsistent usage with the specific counts winning', () => {
    // gpt-4o: 300 cached reported against 100 input → 0 base + 300×1.25 = 375 µ$
    const result = priced({
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 100, cacheReadTokens: 300, outputTokens: 0 },
    });
    expect(result.costUsd).toBeCloseTo(0.000375, 15);
  });
});
