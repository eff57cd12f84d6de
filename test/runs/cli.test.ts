/**
 * `llm-cost top` shows runs per agent and `llm-cost export --runs` groups runs by outcome: from a
 * process's /metrics (exact) and from a real Prometheus scraping it. Prices: `acme-1` at $1/M input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createColors } from '../../src/cli/colors.js';
import { collectRunExport, planRunExport, renderRunExport } from '../../src/cli/export-runs.js';
import { PromClient } from '../../src/cli/prom-api.js';
import { renderTop } from '../../src/cli/top-render.js';
import { MetricsSource, PrometheusSource } from '../../src/cli/top-sources.js';
import { METRIC } from '../../src/metrics/names.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { type RunningProcess, scrapedAfter, startPrometheus } from '../support/processes.js';
import { scrapeConfig } from '../support/prometheus-config.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

let t: LLMTelemetry;
let prometheus: RunningProcess;
/** Scrape timestamps (unix s) just before and just after phase two. */
let before = 0;
let after = 0;

async function task(agent: string, inputTokens: number, ok: boolean) {
  await t.withAgentRun({ agent }, async (run) => {
    t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens, outputTokens: 0 } });
    if (!ok) run.fail('check_failed');
  });
}

/** Phase two: coder 3 runs ($0.002 ok, $0.004 ok, $0.006 failed), writer 1 run ($0.001 ok). */
async function phaseTwo() {
  await task('coder', 2000, true);
  await task('coder', 4000, true);
  await task('coder', 6000, false);
  await task('writer', 1000, true);
}

beforeAll(async () => {
  t = makeTelemetry({ prices: ACME_PRICES, prometheus: { server: true, port: 0 } });
  const target = new URL((await t.metricsUrl())!).host;
  prometheus = await startPrometheus({
    config: scrapeConfig({ app: target }),
  });
  // Phase one creates every series; what Prometheus sees grow after it is phase two.
  await task('coder', 1000, true);
  await task('writer', 1000, true);
  const first = await scrapedAfter(prometheus.url, METRIC.agentRuns, 0);
  before = await scrapedAfter(prometheus.url, METRIC.agentRuns, first);
  // Phase two never yields to the event loop, so no scrape falls inside it.
  const start = Date.now() / 1000;
  await phaseTwo();
  expect(before).toBeLessThan(start);
  after = await scrapedAfter(prometheus.url, METRIC.agentRuns, Date.now() / 1000);
}, 60_000);

/**
 * A range from just before the `before` sample to the `after` sample: increase() is then the
 * difference of the two samples, times 1 + 1 ms / range (≤ 1.001) of extrapolation, for every series alike.
 */
const rangeMs = () => Math.round((after - before) * 1000) + 1;

afterAll(async () => {
  await t?.shutdown();
  await prometheus?.stop();
});

describe('llm-cost top shows runs per agent', () => {
  it('from /metrics: totals since the process started, by hand', async () => {
    const snapshot = await new MetricsSource('app', async () => t.metrics()).snapshot();
    // coder: 4 runs, 3 ok; $0.001 + 0.002 + 0.004 + 0.006 = $0.013 → $0.013 / 3 per success
    expect(snapshot.runs).toEqual(
      expect.arrayContaining([
        { agent: 'coder', runs: 4, successes: 3, costUsd: expect.closeTo(0.013, 12) },
        { agent: 'writer', runs: 2, successes: 2, costUsd: expect.closeTo(0.002, 12) },
      ]),
    );
    const text = renderTop(snapshot, { colors: createColors(false), width: 100 });
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith('Runs'));
    expect(lines[header]).toMatch(/^Runs\s+runs\s+success\s+cost\s+\$\/success$/);
    expect(lines[header + 1]).toMatch(/^ {2}coder\s+4\s+75(\.0)?%\s+\$0\.013\d*\s+\$0\.004\d*$/);
    expect(lines[header + 2]).toMatch(/^ {2}writer\s+2\s+100(\.0)?%/);
  });

  it("from Prometheus: phase two's runs, by hand", async () => {
    const source = new PrometheusSource(new PromClient(prometheus.url), {
      rangeMs: rangeMs(),
      time: () => after,
    });
    const coder = (await source.snapshot()).runs?.find((r) => r.agent === 'coder');
    // Phase two's coder: 3 runs, 2 ok, 0.002 + 0.004 + 0.006 = $0.012 (each × ≤ 1.001, see rangeMs).
    expect(coder!.runs).toBeCloseTo(3, 2);
    expect(coder!.successes).toBeCloseTo(2, 2);
    expect(coder!.costUsd).toBeCloseTo(0.012, 4);
  });
});

describe('llm-cost export --runs', () => {
  it('--by outcome groups by the run outcome', async () => {
    const plan = planRunExport({ by: 'agent,outcome', range: '1h', format: 'csv' });
    expect(plan.labels).toEqual(['gen_ai_agent_name', 'llm_run_outcome']);
    plan.windows = [{ from: after - rangeMs() / 1000, to: after }];
    const rows = await collectRunExport(new PromClient(prometheus.url), plan);
    const coderFailure = rows.find(
      (r) => r.labels.gen_ai_agent_name === 'coder' && r.labels.llm_run_outcome === 'failure',
    );
    const coderSuccess = rows.find(
      (r) => r.labels.gen_ai_agent_name === 'coder' && r.labels.llm_run_outcome === 'success',
    );
    // The failed run cost $0.006; the two successful ones 0.002 + 0.004 = $0.006.
    expect(coderFailure!.runs).toBeCloseTo(1, 2);
    expect(coderFailure!.costUsd).toBeCloseTo(0.006, 4);
    expect(coderFailure!.successes).toBe(0);
    expect(coderSuccess!.runs).toBeCloseTo(2, 2);
    expect(coderSuccess!.costUsd).toBeCloseTo(0.006, 4);
    const csv = renderRunExport(rows, plan);
    expect(csv.split('\n')[0]).toBe('agent,outcome,runs,successes,cost_usd,cost_per_success_usd');
    expect(csv).toMatch(/^coder,failure,[\d.]+,0,[\d.e-]+,$/m);
  });
});
