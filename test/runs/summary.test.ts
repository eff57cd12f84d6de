/**
 * Run figures in `summary()`: success rate, cost per successful run (failures paid for), tokens
 * and calls per run, efficiency against a baseline; `since` / `windowMs` at the window's edges; the
 * ring's bound. Prices: `acme-1` at $1/M input tokens.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LABEL, METRIC } from '../../src/metrics/names.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { ACME_PRICES, makeTelemetry, samples } from '../support/telemetry.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

let t: LLMTelemetry;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(async () => {
  vi.useRealTimers();
  await t?.shutdown();
});

/** One run of `agent` costing `inputTokens` × $1/M, ending at `at` ms after T0. */
async function runAt(at: number, agent: string, inputTokens: number, ok: boolean, variant?: string) {
  vi.setSystemTime(T0 + at);
  await t.withAgentRun({ agent, ...(variant ? { variant } : {}) }, async (run) => {
    t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens, outputTokens: 0 } });
    if (!ok) run.fail('wrong_answer');
  });
}

describe('run figures', () => {
  it('cost per successful run is total cost ÷ successes; efficiency is baseline ÷ that', async () => {
    t = makeTelemetry({
      prices: ACME_PRICES,
      runs: { baselines: { coder: { baselineCostPerSuccessUsd: 0.01 } } },
    });
    await runAt(0, 'coder', 4000, true); // $0.004
    await runAt(1, 'coder', 6000, false); // $0.006
    await runAt(2, 'coder', 10_000, true); // $0.010
    const s = t.summary();
    const coder = s.runs.groups.find((g) => g.key.agent === 'coder')!;
    expect(coder).toMatchObject({ runs: 3, successes: 2, failures: 1, abandoned: 0 });
    expect(coder.successRate).toBeCloseTo(2 / 3, 12);
    // (0.004 + 0.006 + 0.010) / 2 successes = 0.010
    expect(coder.costUsd).toBeCloseTo(0.02, 12);
    expect(coder.costPerSuccessfulRunUsd).toBeCloseTo(0.01, 12);
    // (4000 + 6000 + 10000) / 3 runs
    expect(coder.tokensPerRun).toBeCloseTo(20_000 / 3, 9);
    expect(coder.llmCallsPerRun).toBe(1);
    // baseline 0.01 / 0.01 per success = 1 (exactly at baseline)
    expect(coder.baselineCostPerSuccessUsd).toBe(0.01);
    expect(coder.efficiency).toBeCloseTo(1, 9);
    expect(s.runs.complete).toBe(true);
    // The baseline is exported as a gauge.
    expect(samples(t.metrics(), METRIC.agentBaselineCostPerSuccessUsd)).toEqual([
      `${METRIC.agentBaselineCostPerSuccessUsd}{${LABEL.agent}="coder"} 0.01`,
    ]);
  });

  it('no success: cost per successful run and efficiency are null, not 0', async () => {
    t = makeTelemetry({ prices: ACME_PRICES, runs: { baselines: { a: { baselineCostPerSuccessUsd: 1 } } } });
    await runAt(0, 'a', 1000, false);
    const a = t.summary().runs.groups[0]!;
    expect(a.costPerSuccessfulRunUsd).toBeNull();
    expect(a.efficiency).toBeNull();
    expect(a.successRate).toBe(0);
  });

  it('total counts top-level runs only: a sub-run is inside its parent, not added twice', async () => {
    t = makeTelemetry({ prices: ACME_PRICES });
    await t.withAgentRun({ agent: 'boss' }, async () => {
      t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 1000, outputTokens: 0 } });
      await t.withAgentRun({ agent: 'worker' }, () => {
        t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 2000, outputTokens: 0 } });
      });
    });
    const s = t.summary().runs;
    // boss 0.001 + worker's 0.002 = 0.003, one task
    expect(s.total.runs).toBe(1);
    expect(s.total.costUsd).toBeCloseTo(0.003, 12);
    expect(s.groups.map((g) => [g.key.agent, g.runs])).toEqual([
      ['boss', 1],
      ['worker', 1],
    ]);
  });

  it('run dimensions (variant) split the groups so two configurations compare side by side', async () => {
    t = makeTelemetry({ prices: ACME_PRICES, runs: { dimensions: ['variant'] } });
    await runAt(0, 'coder', 1000, true, 'a');
    await runAt(1, 'coder', 3000, true, 'b');
    const groups = t.summary().runs.groups.map((g) => [g.key, g.costPerSuccessfulRunUsd]);
    expect(groups).toEqual([
      [{ agent: 'coder', variant: 'b' }, 0.003],
      [{ agent: 'coder', variant: 'a' }, 0.001],
    ]);
    const runs = samples(t.metrics(), METRIC.agentRuns).filter((l) => l.endsWith(' 1'));
    expect(runs).toEqual([
      `${METRIC.agentRuns}{${LABEL.agent}="coder",variant="a",${LABEL.runOutcome}="success"} 1`,
      `${METRIC.agentRuns}{${LABEL.agent}="coder",variant="b",${LABEL.runOutcome}="success"} 1`,
    ]);
  });
});

describe('summary({ since }) at the window edges', () => {
  beforeEach(async () => {
    t = makeTelemetry({ prices: ACME_PRICES });
    await runAt(0, 'a', 1000, true); // ends at T0
    await runAt(60_000, 'a', 2000, true); // ends at T0 + 1 min
    await runAt(120_000, 'a', 4000, false); // ends at T0 + 2 min
  });

  it('a run that ended exactly at `since` is in; one a millisecond earlier is out', () => {
    const edge = t.summary({ since: T0 + 60_000 }).runs;
    expect(edge.total.runs).toBe(2);
    // 0.002 + 0.004 over 1 success
    expect(edge.total.costUsd).toBeCloseTo(0.006, 12);
    expect(edge.total.costPerSuccessfulRunUsd).toBeCloseTo(0.006, 12);
    expect(edge.since).toBe(T0 + 60_000);
    expect(t.summary({ since: new Date(T0 + 60_001) }).runs.total.runs).toBe(1);
    expect(t.summary({ since: T0 + 120_001 }).runs.total.runs).toBe(0);
    expect(t.summary({ since: T0 }).runs.total.runs).toBe(3);
  });

  it('windowMs is a rolling window ending now', () => {
    vi.setSystemTime(T0 + 180_000);
    expect(t.summary({ windowMs: 120_000 }).runs.total.runs).toBe(2);
    expect(t.summary({ windowMs: 119_999 }).runs.total.runs).toBe(1);
    // No window: the lifetime.
    expect(t.summary().runs.total.runs).toBe(3);
  });
});

describe('bounded memory', () => {
  it('past summaryCapacity the oldest runs leave the ring; a window reaching them says complete: false', async () => {
    t = makeTelemetry({ prices: ACME_PRICES, runs: { summaryCapacity: 2 } });
    await runAt(0, 'a', 1000, true);
    await runAt(10, 'a', 1000, true);
    await runAt(20, 'a', 1000, true);
    expect(t.summary({ since: T0 + 10 }).runs).toMatchObject({ complete: true, total: { runs: 2 } });
    expect(t.summary({ since: T0 }).runs).toMatchObject({ complete: false, total: { runs: 2 } });
    // The lifetime figures keep every run.
    expect(t.summary().runs.total.runs).toBe(3);
  });
});
