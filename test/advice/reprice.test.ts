/**
 * Repricing a token mix on other models, against hand-computed figures from the providers'
 * published prices (USD per million tokens, as in the bundled genai-prices catalog):
 *   gpt-4o            input 2.50, cached input 1.25, output 10.00
 *   gpt-4o-mini       input 0.15, cached input 0.075, output 0.60
 *   o4-mini           input 1.10, cached input 0.275, output 4.40 (reasoning billed as output)
 *   claude-3-5-haiku  input 0.80, cache write 1.00 (1h: 1.60), cache read 0.08, output 4.00
 *   claude-haiku-4-5  input 1.00, cache write 1.25 (1h: 2.00), cache read 0.10, output 5.00
 *   gemini-2.0-flash-lite  input 0.075, output 0.30 (no cached-input price)
 *   gemini-2.5-pro    input 1.25 → 2.50 and output 10 → 15 for prompts over 200,000 tokens
 */
import { describe, expect, it } from 'vitest';
import { type RepricedTarget, repriceWorkload } from '../../src/advice/reprice.js';
import { mix } from './support.js';

const openai = (model: string) => ({ provider: 'openai', model });
const anthropic = (model: string) => ({ provider: 'anthropic', model });
const gemini = (model: string) => ({ provider: 'gcp.gemini', model });
const priced = (r: RepricedTarget | undefined) => {
  if (!r?.priced) throw new Error(`not priced: ${JSON.stringify(r)}`);
  return r;
};
const codes = (r: RepricedTarget | undefined) => priced(r).assumptions.map((a) => a.code);

describe('a like-for-like mix moved to a cheaper model of the same provider', () => {
  // 1,000,000 input + 400,000 cache read + 200,000 output.
  // gpt-4o (observed): 1 × 2.50 + 0.4 × 1.25 + 0.2 × 10.00 = 2.50 + 0.50 + 2.00 = $5.00
  // gpt-4o-mini:       1 × 0.15 + 0.4 × 0.075 + 0.2 × 0.60 = 0.15 + 0.03 + 0.12 = $0.30
  const m = mix({ input: 1_000_000, cache_read: 400_000, output: 200_000 });
  const r = repriceWorkload(m, { from: openai('gpt-4o'), to: [openai('gpt-4o-mini')], actualUsd: 5 });

  it('prices each bucket at the target rate and saves against the observed cost', () => {
    const t = priced(r.results[0]);
    expect(r.baselineSource).toBe('observed');
    expect(t.costUsd).toBeCloseTo(0.3, 12);
    expect(t.breakdown.input).toBeCloseTo(0.15, 12);
    expect(t.breakdown.cache_read).toBeCloseTo(0.03, 12);
    expect(t.breakdown.output).toBeCloseTo(0.12, 12);
    expect(t.savingUsd).toBeCloseTo(4.7, 12); // 5.00 − 0.30
    expect(t.savingPercent).toBeCloseTo(94, 10); // 4.70 / 5.00
    expect(t.entry.model).toBe('gpt-4o-mini');
  });

  it('assumes nothing when everything transfers', () => {
    expect(priced(r.results[0]).assumptions).toEqual([]);
  });

  it('without an observed cost, the baseline is the mix repriced on the source model', () => {
    const again = repriceWorkload(m, { from: openai('gpt-4o'), to: [openai('gpt-4o-mini')] });
    expect(again.baselineSource).toBe('repriced');
    expect(again.baselineUsd).toBeCloseTo(5, 12);
  });

  it('a more expensive target shows a negative saving', () => {
    // gpt-4o-mini observed at $0.30, repriced on gpt-4o: $5.00 → saving −4.70 (−1566.7 %)
    const up = repriceWorkload(m, { from: openai('gpt-4o-mini'), to: [openai('gpt-4o')], actualUsd: 0.3 });
    expect(priced(up.results[0]).savingUsd).toBeCloseTo(-4.7, 12);
    expect(priced(up.results[0]).savingPercent).toBeCloseTo((-4.7 / 0.3) * 100, 8);
  });
});

describe('reasoning tokens', () => {
  // o4-mini: 1,000,000 input, 100,000 output, 300,000 reasoning.
  // on o4-mini:     1 × 1.10 + 0.1 × 4.40 + 0.3 × 4.40 = 1.10 + 0.44 + 1.32 = $2.86
  // on gpt-4o-mini: 1 × 0.15 + 0.1 × 0.60 + 0.3 × 0.60 = 0.15 + 0.06 + 0.18 = $0.39 (reasoning as output)
  const m = mix({ input: 1_000_000, output: 100_000, reasoning: 300_000 });

  it('onto a model that does not reason are priced as output, and said so', () => {
    const r = repriceWorkload(m, { from: openai('o4-mini'), to: [openai('gpt-4o-mini')] });
    expect(r.baselineUsd).toBeCloseTo(2.86, 12);
    const t = priced(r.results[0]);
    expect(t.costUsd).toBeCloseTo(0.39, 12);
    expect(t.breakdown.reasoning).toBeCloseTo(0.18, 12);
    expect(codes(t)).toEqual(['reasoning-onto-non-reasoning']);
    expect(t.assumptions[0]!.text).toContain('300,000 reasoning tokens are priced as output');
  });

  it('a reasoning target for a workload that did not reason: its thinking is not in the figure', () => {
    // gpt-4o mix 1,000,000 input + 200,000 output on o4-mini: 1.10 + 0.2 × 4.40 = 1.10 + 0.88 = $1.98
    const r = repriceWorkload(mix({ input: 1_000_000, output: 200_000 }), {
      from: openai('gpt-4o'),
      to: [openai('o4-mini')],
    });
    expect(priced(r.results[0]).costUsd).toBeCloseTo(1.98, 12);
    expect(codes(r.results[0])).toEqual(['reasoning-not-observed']);
  });
});

describe('prompt caching', () => {
  // claude-3-5-haiku: 1,000,000 input, 200,000 cache write, 500,000 cache read, 100,000 output.
  const m = mix({ input: 1_000_000, cache_write: 200_000, cache_read: 500_000, output: 100_000 });

  it('cache writes onto a model that bills none are priced as input; caching elsewhere is an assumption', () => {
    // gpt-4o-mini: 1 × 0.15 + 0.2 × 0.15 + 0.5 × 0.075 + 0.1 × 0.60 = 0.15 + 0.03 + 0.0375 + 0.06 = $0.2775
    const r = repriceWorkload(m, { from: anthropic('claude-3-5-haiku'), to: [openai('gpt-4o-mini')] });
    const t = priced(r.results[0]);
    expect(t.costUsd).toBeCloseTo(0.2775, 12);
    expect(t.breakdown.cache_write).toBeCloseTo(0.03, 12);
    expect(codes(t)).toEqual(['cache-writes-at-input-rate', 'cache-behaviour-differs']);
  });

  it('cache writes onto a model with 5-minute and 1-hour write prices are priced at the 5-minute rate', () => {
    // claude-haiku-4-5: 1 × 1.00 + 0.2 × 1.25 + 0.5 × 0.10 + 0.1 × 5.00 = 1.00 + 0.25 + 0.05 + 0.50 = $1.80
    const r = repriceWorkload(m, {
      from: anthropic('claude-3-5-haiku'),
      to: [anthropic('claude-haiku-4-5')],
    });
    const t = priced(r.results[0]);
    expect(t.costUsd).toBeCloseTo(1.8, 12);
    expect(codes(t)).toEqual(['reasoning-not-observed', 'cache-writes-at-5m-rate']);
  });

  it('cache reads onto a model with no cached-input price are priced as full input', () => {
    // gemini-2.0-flash → flash-lite: 1,000,000 input + 1,000,000 cache read + 100,000 output
    // = 1 × 0.075 + 1 × 0.075 + 0.1 × 0.30 = 0.075 + 0.075 + 0.03 = $0.18
    const r = repriceWorkload(mix({ input: 1_000_000, cache_read: 1_000_000, output: 100_000 }), {
      from: gemini('gemini-2.0-flash'),
      to: [gemini('gemini-2.0-flash-lite')],
    });
    const t = priced(r.results[0]);
    expect(t.costUsd).toBeCloseTo(0.18, 12);
    expect(codes(t)).toEqual(['cache-reads-at-input-rate']);
  });
});

describe('long-context tiers', () => {
  // gemini-2.5-flash's 6,000,000 input + 100,000 output onto gemini-2.5-pro (tier above 200,000 prompt tokens).
  const m = mix({ input: 6_000_000, output: 100_000 });
  const on = (requests?: number) =>
    priced(
      repriceWorkload(m, {
        from: gemini('gemini-2.5-flash'),
        to: [gemini('gemini-2.5-pro')],
        ...(requests === undefined ? {} : { requests }),
      }).results[0],
    );

  it('an average prompt under the threshold prices at the base rate and says what calls over it pay', () => {
    // 40 calls → 150,000 average: 6 × 1.25 + 0.1 × 10 = 7.50 + 1.00 = $8.50
    const t = on(40);
    expect(t.costUsd).toBeCloseTo(8.5, 12);
    expect(codes(t)).toEqual(['long-context-tier-base']);
    expect(t.assumptions[0]!.text).toContain('over 200,000 tokens pay $2.5/MTok');
  });

  it('at exactly the threshold the base rate still applies', () => {
    // 30 calls → 200,000 average (not over): $8.50
    expect(on(30).costUsd).toBeCloseTo(8.5, 12);
  });

  it('an average prompt over the threshold prices every call at the long-context rate', () => {
    // 20 calls → 300,000 average: 6 × 2.50 + 0.1 × 15 = 15.00 + 1.50 = $16.50
    const t = on(20);
    expect(t.costUsd).toBeCloseTo(16.5, 12);
    expect(codes(t)).toEqual(['long-context-tier-average']);
    expect(t.entry.tierStartTokens).toBe(200_000);
  });

  it('without a call count, base rate and the assumption', () => {
    expect(on().costUsd).toBeCloseTo(8.5, 12);
    expect(codes(on())).toEqual(['long-context-tier-base']);
  });
});

describe('models without a price', () => {
  it('an unknown target is not priced — never $0', () => {
    const r = repriceWorkload(mix({ input: 1000 }), {
      from: openai('gpt-4o'),
      to: [openai('gpt-nonexistent-9')],
    });
    expect(r.results[0]).toMatchObject({ priced: false });
    expect(r.results[0]).not.toHaveProperty('costUsd');
  });

  it('an unknown source gives no baseline and no saving, with the reason', () => {
    const r = repriceWorkload(mix({ input: 1_000_000 }), {
      from: openai('acme-summarizer-1'),
      to: [openai('gpt-4o-mini')],
    });
    expect(r.baselineUsd).toBeNull();
    expect(r.baselineSource).toBe('none');
    expect(r.baselineNote).toContain('acme-summarizer-1');
    expect(priced(r.results[0]).costUsd).toBeCloseTo(0.15, 12); // 1 × 0.15
    expect(priced(r.results[0]).savingUsd).toBeNull();
  });
});
