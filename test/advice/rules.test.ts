/**
 * Each recommendation rule on synthetic query results: it fires on the workload built to trigger
 * it, with a hand-computed saving, and stays quiet on the others. Range 7d throughout, so a
 * monthly figure is the range's × 30/7. Prices (USD/MTok, bundled catalog):
 *   claude-3-5-sonnet input 3.00, cache read 0.30, cache write 3.75 · gpt-4o input 2.50, cached 1.25,
 *   output 10 · gpt-4.1-nano 0.10 / 0.40 · gpt-6-luna 0.10 / 0.50 · gpt-5-nano 0.05 / 0.40 ·
 *   gemini-2.5-pro input 1.25, 2.50 over 200,000 prompt tokens.
 */
import { describe, expect, it } from 'vitest';
import type { TokenMix } from '../../src/advice/reprice.js';
import { batchEligible } from '../../src/advice/rules/batch-eligible.js';
import { cachingUnused } from '../../src/advice/rules/caching-unused.js';
import { ruleContext } from '../../src/advice/rules/context.js';
import { failedCallSpend } from '../../src/advice/rules/failed-calls.js';
import { frontierShortOutputs } from '../../src/advice/rules/frontier-short-outputs.js';
import { longContextMargin } from '../../src/advice/rules/long-context-margin.js';
import { runCostQueries, runCostRise } from '../../src/advice/rules/run-cost-rise.js';
import type { PromSample, WorkloadRow } from '../../src/advice/workload.js';
import { mix } from './support.js';

const ctx = ruleContext('7d', 7 * 86_400, Date.parse('2026-01-15T00:00:00Z'));
const month = 30 / 7;
const row = (
  provider: string,
  model: string,
  agent: string,
  m: Partial<TokenMix>,
  requests: number,
  costUsd: number | null,
): WorkloadRow => ({
  provider,
  model,
  group: { gen_ai_agent_name: agent },
  mix: mix(m),
  costUsd,
  requests,
  unpricedRequests: 0,
});
const sample = (metric: Record<string, string>, value: number): PromSample => ({
  metric,
  text: String(value),
  value,
});

describe('prompt-caching-unused', () => {
  it('fires on large repeated prompts read from no cache, with the write premium taken off', () => {
    // 100 calls × 10,000 prompt tokens, none cached. Half the input (500,000) becomes cache reads:
    // 500,000 × (3.00 − 0.30) / 1e6 = 1.35; writes, one per 10 reads: 50,000 × (3.75 − 3.00) / 1e6 = 0.0375
    // net 1.3125 per 7 days → × 30/7 = 5.625 per month
    const [r, ...rest] = cachingUnused(
      [row('anthropic', 'claude-3-5-sonnet', 'researcher', { input: 1_000_000, output: 50_000 }, 100, 3.75)],
      'Q',
      ctx,
    );
    expect(rest).toEqual([]);
    expect(r!.rule).toBe('prompt-caching-unused');
    expect(r!.monthlySavingUsd).toBeCloseTo(5.625, 10);
    expect(r!.todo[0]).toContain('cache_control');
    expect(r!.evidence[0]!.numbers).toContainEqual({ what: 'cache-read tokens', value: '0' });
  });

  it('on OpenAI there is no write premium', () => {
    // 50 calls × 10,000: 250,000 × (2.50 − 1.25) / 1e6 = 0.3125 → × 30/7
    const [r] = cachingUnused(
      [row('openai', 'gpt-4o', 'planner', { input: 500_000, output: 10_000 }, 50, 1.35)],
      'Q',
      ctx,
    );
    expect(r!.monthlySavingUsd).toBeCloseTo(0.3125 * month, 10);
    expect(r!.todo[0]).toContain('prompt_cache_key');
  });

  it('stays quiet when caching is used, prompts are small, calls are few, or the model prices no cached input', () => {
    const quiet = [
      row('openai', 'gpt-4o', 'a', { input: 450_000, cache_read: 50_000 }, 50, 1), // 10% read from cache
      row('openai', 'gpt-4o', 'b', { input: 100_000 }, 50, 1), // 2,000 tokens per call
      row('openai', 'gpt-4o', 'c', { input: 100_000 }, 10, 1), // 10 calls
      row('openai', 'gpt-4-turbo', 'd', { input: 1_000_000 }, 100, 1), // no cached-input price
      row('openai', 'acme-1', 'e', { input: 1_000_000 }, 100, null), // unpriced
    ];
    expect(cachingUnused(quiet, 'Q', ctx)).toEqual([]);
  });
});

describe('frontier-short-outputs', () => {
  // gpt-4o: 100 calls, 1,000,000 input, 10,000 output (100 per call); observed 1 × 2.50 + 0.01 × 10 = $2.60.
  // Default candidates (cheapest three): gpt-5-nano 1 × 0.05 + 0.01 × 0.40 = 0.054,
  // gpt-4.1-nano 0.10 + 0.004 = 0.104, gpt-6-luna 0.10 + 0.005 = 0.105.
  // The rule quotes the smallest saving: gpt-6-luna, 2.60 − 0.105 = 2.495 → × 30/7 per month.
  const frontier = row('openai', 'gpt-4o', 'reviewer', { input: 1_000_000, output: 10_000 }, 100, 2.6);

  it('fires on an expensive model writing short answers, with the conservative repricing', () => {
    const [r, ...rest] = frontierShortOutputs([frontier], 'Q', ctx);
    expect(rest).toEqual([]);
    expect(r!.title).toBe('Try gpt-6-luna instead of gpt-4o for reviewer');
    expect(r!.monthlySavingUsd).toBeCloseTo(2.495 * month, 10);
    expect(r!.evidence[0]!.numbers.map((n) => n.what)).toEqual([
      'calls',
      'output tokens',
      'observed cost over 7d',
      'same mix on gpt-5-nano',
      'same mix on gpt-4.1-nano',
      'same mix on gpt-6-luna',
    ]);
    expect(r!.why).toContain('assuming:');
  });

  it('stays quiet on long outputs, cheap models and few calls', () => {
    expect(
      frontierShortOutputs(
        [
          row('openai', 'gpt-4o', 'a', { input: 1_000_000, output: 40_000 }, 100, 2.9), // 400 per call
          row('openai', 'gpt-4o-mini', 'b', { input: 1_000_000, output: 10_000 }, 100, 0.156), // output 0.60
          row('openai', 'gpt-4o', 'c', { input: 100_000, output: 1_000 }, 10, 0.26), // 10 calls
        ],
        'Q',
        ctx,
      ),
    ).toEqual([]);
  });
});

describe('failed-call-spend', () => {
  const m = { gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o', gen_ai_agent_name: 'coder' };
  const counts = [
    sample({ ...m, llm_outcome: 'aborted', error_type: '' }, 4),
    sample({ ...m, llm_outcome: 'error', error_type: 'RateLimitError' }, 6),
  ];

  it('fires on failed work worth ≥ $1 a month: $0.70 per 7 days → $3.00', () => {
    const [r] = failedCallSpend([sample(m, 0.7)], counts, { cost: 'C', counts: 'N' }, ctx);
    expect(r!.monthlySavingUsd).toBeCloseTo(3, 10); // 0.70 × 30/7
    expect(r!.evidence[1]!.numbers).toEqual([
      { what: 'aborted calls', value: '4' },
      { what: 'errors (RateLimitError)', value: '6' },
    ]);
  });

  it('stays quiet below: $0.21 per 7 days is $0.90 a month', () => {
    expect(failedCallSpend([sample(m, 0.21)], counts, { cost: 'C', counts: 'N' }, ctx)).toEqual([]);
  });
});

describe('batch-eligible', () => {
  it('half of a non-interactive operation’s spend on a provider with a batch API: $7 per 7 days → $15 a month', () => {
    const [r, ...rest] = batchEligible(
      [
        sample(
          { gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o', llm_operation_name: 'nightly' },
          7,
        ),
        sample({ gen_ai_provider_name: 'acme', gen_ai_request_model: 'x', llm_operation_name: 'nightly' }, 7),
      ],
      'Q',
      ctx,
    );
    expect(rest).toEqual([]); // acme has no batch API we know of
    expect(r!.monthlySavingUsd).toBeCloseTo(15, 10); // 7 × 0.5 × 30/7
    expect(r!.subject).toEqual({ provider: 'openai', model: 'gpt-4o', operation: 'nightly' });
  });
});

describe('long-context-tier-margin', () => {
  const rows = [row('gcp.gemini', 'gemini-2.5-pro', 'researcher', { input: 10_000_000 }, 100, 10)];
  const crossing = (n: number, model = 'gemini-2.5-pro') =>
    sample(
      { gen_ai_provider_name: 'gcp.gemini', gen_ai_request_model: model, gen_ai_agent_name: 'researcher' },
      n,
    );

  it('says "needs data" when the tier-crossing counter is absent', () => {
    expect(longContextMargin(null, rows, 'Q', ctx)).toEqual({
      needsData: expect.stringContaining('llm_tier_crossing_requests_total'),
    });
  });

  it('fires on calls just over the threshold', () => {
    // 20 calls × $0.10 average × (1 − 1.25/2.50) = 1.00 per 7 days → × 30/7
    const r = longContextMargin([crossing(20)], rows, 'Q', ctx) as Array<{
      monthlySavingUsd: number;
      title: string;
    }>;
    expect(r).toHaveLength(1);
    expect(r[0]!.monthlySavingUsd).toBeCloseTo(month, 10);
    expect(r[0]!.title).toContain('under 200,000 tokens');
  });

  it('stays quiet on a few crossings, or a model without tiers', () => {
    expect(longContextMargin([crossing(3)], rows, 'Q', ctx)).toEqual([]);
    const flat = [row('openai', 'gpt-4o', 'researcher', { input: 1_000_000 }, 100, 10)];
    expect(
      longContextMargin(
        [
          sample(
            {
              gen_ai_provider_name: 'openai',
              gen_ai_request_model: 'gpt-4o',
              gen_ai_agent_name: 'researcher',
            },
            20,
          ),
        ],
        flat,
        'Q',
        ctx,
      ),
    ).toEqual([]);
  });
});

describe('run-cost-rise', () => {
  const queries = runCostQueries('7d');
  const a = (agent: string, v: number) => sample({ gen_ai_agent_name: agent }, v);

  it('queries divide the agent’s spend by its successful runs (the assumed llm_agent_runs_total)', () => {
    expect(queries.current).toBe(
      'sum by (gen_ai_agent_name) (increase(llm_cost_usd_total[7d])) / (sum by (gen_ai_agent_name) (increase(llm_agent_runs_total{llm_run_outcome="success"}[7d])) > 0)',
    );
    expect(queries.previous).toContain('[7d] offset 7d');
  });

  it('says "needs data" without agent runs', () => {
    expect(runCostRise(null, queries, ctx)).toEqual({
      needsData: expect.stringContaining('llm_agent_runs_total'),
    });
  });

  it('fires on a rise of 20% or more: $0.30 → $0.42 per run over 100 runs', () => {
    const r = runCostRise(
      {
        current: [a('coder', 0.42), a('planner', 0.33)],
        previous: [a('coder', 0.3), a('planner', 0.3)],
        runs: [a('coder', 100), a('planner', 100)],
        previousRuns: [a('coder', 90), a('planner', 90)],
      },
      queries,
      ctx,
    ) as Array<{ monthlySavingUsd: number; subject: Record<string, string>; title: string }>;
    // coder: (0.42 − 0.30) × 100 = 12 per 7 days → × 30/7; planner rose 10%: quiet
    expect(r).toHaveLength(1);
    expect(r[0]!.subject).toEqual({ agent: 'coder' });
    expect(r[0]!.monthlySavingUsd).toBeCloseTo(12 * month, 10);
    expect(r[0]!.title).toBe('Cost per successful run of coder rose 40.0%');
  });

  it('stays quiet on too few runs or no previous figure', () => {
    expect(
      runCostRise(
        {
          current: [a('coder', 0.42)],
          previous: [a('coder', 0.3)],
          runs: [a('coder', 3)],
          previousRuns: [a('coder', 90)],
        },
        queries,
        ctx,
      ),
    ).toEqual([]);
    expect(
      runCostRise(
        { current: [a('coder', 0.42)], previous: [], runs: [a('coder', 100)], previousRuns: [] },
        queries,
        ctx,
      ),
    ).toEqual([]);
  });
});
