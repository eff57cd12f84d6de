import { describe, expect, it } from 'vitest';
import { sanitizeUsage, toBuckets, toBucketsChecked } from '../../src/pricing/index.js';

describe('toBuckets splits inclusive usage into disjoint buckets', () => {
  it('subtracts cache reads and writes from input, and reasoning from output', () => {
    expect(
      toBuckets({
        inputTokens: 10_000,
        cacheReadTokens: 5_000,
        cacheWriteTokens: 3_000,
        cacheWrite1hTokens: 1_000,
        outputTokens: 1_000,
        reasoningTokens: 400,
      }),
    ).toEqual({
      input: 2_000,
      cacheRead: 5_000,
      cacheWrite5m: 2_000,
      cacheWrite1h: 1_000,
      output: 600,
      reasoning: 400,
    });
  });

  it('treats absent optional fields as 0', () => {
    expect(toBuckets({ inputTokens: 7, outputTokens: 3 })).toEqual({
      input: 7,
      cacheRead: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      output: 3,
      reasoning: 0,
    });
  });
});

describe('toBucketsChecked clamps inconsistent usage, letting the specific counts win', () => {
  it('reports consistent usage as not clamped', () => {
    expect(toBucketsChecked({ inputTokens: 100, cacheReadTokens: 100, outputTokens: 0 }).clamped).toBe(false);
  });

  it('keeps cache reads larger than the input total and clamps input at 0', () => {
    // Typical cause: Anthropic's exclusive input_tokens (50) passed as if inclusive.
    expect(toBucketsChecked({ inputTokens: 50, cacheReadTokens: 150, outputTokens: 10 })).toEqual({
      buckets: { input: 0, cacheRead: 150, cacheWrite5m: 0, cacheWrite1h: 0, output: 10, reasoning: 0 },
      clamped: true,
    });
  });

  it('keeps 1-hour writes larger than all writes and clamps 5-minute writes at 0', () => {
    expect(
      toBucketsChecked({
        inputTokens: 1_000,
        cacheWriteTokens: 100,
        cacheWrite1hTokens: 300,
        outputTokens: 0,
      }),
    ).toEqual({
      buckets: { input: 700, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 300, output: 0, reasoning: 0 },
      clamped: true,
    });
  });

  it('keeps reasoning larger than output and clamps output at 0', () => {
    expect(toBucketsChecked({ inputTokens: 0, outputTokens: 10, reasoningTokens: 25 })).toEqual({
      buckets: { input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0, reasoning: 25 },
      clamped: true,
    });
  });
});

describe('sanitizeUsage accepts plain counts and copies them', () => {
  it('returns a fresh object with only the known fields, dropping null optionals', () => {
    const raw = { inputTokens: 5, outputTokens: 6, cacheReadTokens: null, reasoningTokens: 2, extra: 'x' };
    const result = sanitizeUsage(raw);
    expect(result).toEqual({ usage: { inputTokens: 5, outputTokens: 6, reasoningTokens: 2 } });
    expect('usage' in result && result.usage).not.toBe(raw);
  });

  it('accepts the ceiling of 1e9 per field', () => {
    expect(sanitizeUsage({ inputTokens: 1e9, outputTokens: 0 })).toEqual({
      usage: { inputTokens: 1e9, outputTokens: 0 },
    });
  });
});

describe('sanitizeUsage rejects unusable counts with a reason', () => {
  it.each([
    [{ inputTokens: -1, outputTokens: 0 }, 'inputTokens must be a finite non-negative number, got -1'],
    [
      { inputTokens: 1, outputTokens: Number.NaN },
      'outputTokens must be a finite non-negative number, got NaN',
    ],
    [
      { inputTokens: 1, outputTokens: 1, cacheReadTokens: Number.POSITIVE_INFINITY },
      'cacheReadTokens must be a finite non-negative number, got Infinity',
    ],
    [{ inputTokens: '12', outputTokens: 1 }, 'inputTokens must be a finite non-negative number, got "12"'],
    [
      { inputTokens: 1, outputTokens: 1, reasoningTokens: 2e9 },
      'reasoningTokens is implausibly large (2000000000 > 1000000000); treating the usage as corrupt',
    ],
    [{ outputTokens: 1 }, 'inputTokens is missing'],
    [null, 'usage must be an object, got null'],
    [42, 'usage must be an object, got 42'],
    [[1, 2], 'usage must be an object, got an array'],
  ])('%j → %s', (raw, reason) => {
    expect(sanitizeUsage(raw)).toEqual({ invalid: reason });
  });

  it('never throws, even when a getter throws', () => {
    const hostile = {
      inputTokens: 1,
      get outputTokens(): number {
        throw new Error('boom');
      },
    };
    expect(sanitizeUsage(hostile)).toEqual({ invalid: 'reading outputTokens threw: boom' });
  });

  it('never throws for a proxy whose get trap throws a non-Error', () => {
    const proxy = new Proxy(
      {},
      {
        get() {
          throw 'nope';
        },
      },
    );
    expect(sanitizeUsage(proxy)).toEqual({ invalid: 'reading inputTokens threw: nope' });
  });
});
