/**
 * The one conversion from the six billing buckets (`UsageBuckets`, what rates apply to) to the
 * five token types (`TOKEN_TYPES`, what metrics, cost breakdowns and summaries are keyed by).
 */
import { describe, expect, it } from 'vitest';
import { BILLING_BUCKETS, emptyBuckets, tokensOfType } from '../../src/pricing/buckets.js';
import { TOKEN_TYPES } from '../../src/types.js';

describe('tokensOfType', () => {
  const buckets = { input: 100, cacheRead: 20, cacheWrite5m: 5, cacheWrite1h: 3, output: 40, reasoning: 7 };

  it('maps each token type by name; cache_write is 5-minute plus 1-hour writes (5 + 3)', () => {
    expect(Object.fromEntries(TOKEN_TYPES.map((type) => [type, tokensOfType(buckets, type)]))).toEqual({
      input: 100,
      cache_read: 20,
      cache_write: 8,
      output: 40,
      reasoning: 7,
    });
  });

  it('loses no token: the types sum to the buckets (100 + 20 + 5 + 3 + 40 + 7 = 175)', () => {
    expect(TOKEN_TYPES.reduce((sum, type) => sum + tokensOfType(buckets, type), 0)).toBe(175);
  });
});

describe('BILLING_BUCKETS', () => {
  it('names every UsageBuckets key once', () => {
    expect([...BILLING_BUCKETS].sort()).toEqual(Object.keys(emptyBuckets()).sort());
    expect(Object.values(emptyBuckets())).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
