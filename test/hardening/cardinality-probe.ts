/**
 * Run by cardinality.test.ts in a child process with `--expose-gc`: records 100,000 distinct
 * values of one label and reports series counts, heap after GC, and the diag warnings, as JSON.
 * Usage: node --expose-gc --import tsx cardinality-probe.ts <agent|model> <count> <maxSeries>
 */
import { familiesOf } from '../../src/metrics/families.js';
import { captureDiagWarnings } from '../support/diag.js';
import { makeTelemetry } from '../support/telemetry.js';

const [kind = 'agent', countText = '100000', capText = '500'] = process.argv.slice(2);
const count = Number(countText);
const maxSeries = Number(capText);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const warnings = captureDiagWarnings();

const telemetry = makeTelemetry({
  maxSeries,
  prices: { overrides: [{ provider: 'acme', model: 'acme-1', inputPerMTok: 1, outputPerMTok: 2 }] },
});
const recordOne = (i: number) =>
  telemetry.record({
    provider: 'acme',
    model: kind === 'model' ? `acme-model-${i}-${'x'.repeat(i % 50)}` : 'acme-1',
    agent: kind === 'agent' ? `agent-${i}-${'y'.repeat(i % 50)}` : 'planner',
    operation: 'plan',
    apiOperation: 'chat',
    usage: { inputTokens: 1000, outputTokens: 100 },
    durationMs: 50,
    outcome: i % 10 === 0 ? 'error' : 'success',
    errorType: 'RateLimitError',
  });

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
// Well past the cap, so every family is full before the baseline.
// Past every cap (series, rows, the 10,000-row summary table), so the baseline is the steady state.
const warm = Math.max(maxSeries * 10, 20_000);
for (let i = 0; i < warm; i++) recordOne(i);
telemetry.metrics();
const before = heap();
for (let i = warm; i < count; i++) recordOne(i);
const text = telemetry.metrics();
const after = heap();

const families = familiesOf(
  (telemetry as unknown as { metricFamilies: Parameters<typeof familiesOf>[0] }).metricFamilies,
);
const series = Object.fromEntries(
  families.map((f) => {
    const capped = f.labelNames.map((n, i) => (f.uncappedLabels.includes(n) ? -1 : i)).filter((i) => i >= 0);
    const tuples = new Set(
      [...f.series.values()].map((s) => capped.map((i) => s.labelValues[i]).join('\u0000')),
    );
    return [f.name, { series: f.series.size, cappedTuples: tuples.size }];
  }),
);
const summary = telemetry.summary();
process.stdout.write(
  `${JSON.stringify({
    heapGrowthBytes: after - before,
    series,
    warnings,
    requests: summary.total.requests,
    costUsd: summary.total.costUsd,
    exposedRequests: text
      .split('\n')
      .filter((l) => l.startsWith('llm_requests_total{'))
      .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0),
    exposedCost: text
      .split('\n')
      .filter((l) => l.startsWith('llm_cost_usd_total{'))
      .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0),
  })}\n`,
);
