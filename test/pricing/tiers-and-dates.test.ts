import { describe, expect, it } from 'vitest';
import { PriceBook } from '../../src/pricing/index.js';
import type { PriceResult, TokenUsage } from '../../src/types.js';
import { catalogTotal } from './catalog-agrees.js';

const book = new PriceBook();

function cost(result: PriceResult): number {
  if (!result.priced) throw new Error(result.message);
  return result.costUsd;
}

describe('long-context tiers switch the whole request once the prompt passes the threshold', () => {
  // gemini-2.5-pro: prompt ≤ 200k: $1.25 in, $0.125 cached, $10 out; prompt > 200k: $2.50, $0.25, $15.
  it('at exactly 200,000 prompt tokens the base rates apply', () => {
    // 150,000×1.25 + 50,000×0.125 + 1,000×10 = 187500 + 6250 + 10000 = 203750 µ$
    const usage: TokenUsage = { inputTokens: 200_000, cacheReadTokens: 50_000, outputTokens: 1_000 };
    const result = book.price({ provider: 'gcp.gemini', model: 'gemini-2.5-pro', usage });
    expect(cost(result)).toBeCloseTo(0.20375, 15);
    expect(result.priced && result.entry.tierStartTokens).toBeUndefined();
    expect(cost(result)).toBeCloseTo(catalogTotal('google', 'gemini-2.5-pro', usage), 15);
  });

  it('at 200,001 prompt tokens every bucket, output included, uses the >200k rates', () => {
    // 150,001×2.5 + 50,000×0.25 + 1,000×15 = 375002.5 + 12500 + 15000 = 402502.5 µ$
    const usage: TokenUsage = { inputTokens: 200_001, cacheReadTokens: 50_000, outputTokens: 1_000 };
    const result = book.price({ provider: 'gcp.gemini', model: 'gemini-2.5-pro', usage });
    expect(cost(result)).toBeCloseTo(0.4025025, 15);
    expect(result.priced && result.entry).toMatchObject({
      tierStartTokens: 200_000,
      ratesPerMTok: { input: 2.5, cacheRead: 0.25, output: 15 },
    });
    expect(cost(result)).toBeCloseTo(catalogTotal('google', 'gemini-2.5-pro', usage), 15);
  });

  it('counts cached prompt tokens toward the threshold', () => {
    // Only 150,001 uncached, but 200,001 in total → >200k rates, as above.
    const usage: TokenUsage = { inputTokens: 200_001, cacheReadTokens: 50_000, outputTokens: 0 };
    expect(cost(book.price({ provider: 'gcp.gemini', model: 'gemini-2.5-pro', usage }))).toBeCloseTo(
      0.3875025,
      15,
    );
  });

  it('claude sonnet 4.5 long context: $3→$6 in, $15→$22.50 out past 200k', () => {
    // 200,000×3 + 100×15 = 600000 + 1500 = 601500 µ$; 200,001×6 + 100×22.5 = 1200006 + 2250 = 1202256 µ$
    const at = { inputTokens: 200_000, outputTokens: 100 };
    const past = { inputTokens: 200_001, outputTokens: 100 };
    expect(
      cost(book.price({ provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', usage: at })),
    ).toBeCloseTo(0.6015, 15);
    expect(
      cost(book.price({ provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', usage: past })),
    ).toBeCloseTo(1.202256, 15);
    expect(
      cost(book.price({ provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', usage: past })),
    ).toBeCloseTo(catalogTotal('anthropic', 'claude-sonnet-4-5-20250929', past), 15);
  });
});

describe('effective-dated prices pick by call timestamp', () => {
  // o3: $10 in / $40 out until 2025-06-10, then $2 / $8 (catalog start_date 2025-06-10, UTC).
  const usage: TokenUsage = { inputTokens: 1_000, outputTokens: 1_000 };

  it('the last millisecond before the start date uses the old price', () => {
    // 1000×10 + 1000×40 = 50000 µ$
    const timestamp = new Date('2025-06-09T23:59:59.999Z');
    const result = book.price({ provider: 'openai', model: 'o3', usage, timestamp });
    expect(cost(result)).toBeCloseTo(0.05, 15);
    expect(result.priced && result.entry.priceDate).toBeNull();
    expect(cost(result)).toBeCloseTo(catalogTotal('openai', 'o3', usage, timestamp), 15);
  });

  it('from the start date on, the new price applies and the entry names its date', () => {
    // 1000×2 + 1000×8 = 10000 µ$
    const timestamp = Date.parse('2025-06-10T00:00:00Z');
    const result = book.price({ provider: 'openai', model: 'o3', usage, timestamp });
    expect(cost(result)).toBeCloseTo(0.01, 15);
    expect(result.priced && result.entry.priceDate).toBe('2025-06-10');
    expect(cost(result)).toBeCloseTo(catalogTotal('openai', 'o3', usage, new Date(timestamp)), 15);
  });

  it('time-of-day prices (DeepSeek off-peak, 16:30–00:30 UTC) pick by the UTC time', () => {
    // deepseek-chat: $0.27 in / $1.10 out standard; 50 % off outside 00:30–16:30 UTC.
    // 1,000 in + 1,000 out: 270 + 1100 = 1370 µ$; off-peak 135 + 550 = 685 µ$
    const peak = book.price({
      provider: 'deepseek',
      model: 'deepseek-chat',
      usage,
      timestamp: Date.parse('2025-03-01T12:00:00Z'),
    });
    const offPeak = book.price({
      provider: 'deepseek',
      model: 'deepseek-chat',
      usage,
      timestamp: Date.parse('2025-03-01T16:30:00Z'),
    });
    expect(cost(peak)).toBeCloseTo(0.00137, 15);
    expect(cost(offPeak)).toBeCloseTo(0.000685, 15);
  });
});
