/**
 * Cost sums are compensated (Neumaier): every place that adds dollars — the cost counter, the
 * per-call cost histogram's `_sum`, the in-process summary (its rows and the totals over rows),
 * and the cluster primary merging its workers — reads back the decimal sum itself, where a plain
 * running `+=` drifts. Each expectation is the decimal arithmetic in its comment; each case was
 * checked red with the compensation removed from that one place (a plain `sum += value`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FamilySnapshot } from '../../src/cluster/protocol.js';
import { FamilyMerger } from '../../src/cluster/snapshot.js';
import { METRIC } from '../../src/metrics/names.js';
import type { CounterSeries, HistogramSeries } from '../../src/metrics/series.js';
import { ACME_PRICES, makeTelemetry, samples } from '../support/telemetry.js';

const call = (costUsd: number, agent = 'a') => ({
  provider: 'acme',
  model: 'acme-1',
  agent,
  usage: { inputTokens: 0, outputTokens: 0 },
  costUsd,
});

/** The value of the one sample of `name` on the page (the test records one series of it). */
function sampleValue(page: string, name: string): number {
  const lines = samples(page, name).filter((l) => !l.endsWith(' 0'));
  expect(lines).toHaveLength(1);
  return Number(lines[0]!.split(' ').pop());
}

describe('small costs added to a large running total', () => {
  // $1,000 already spent, then 10,000 calls of $0.0000003 (one token at $0.30/M):
  // 1,000 + 10,000 × 0.0000003 = 1,000 + 0.003 = $1,000.003.
  // Near 1,000 a double moves in steps of 2^-43 ≈ 1.1e-13, so each plain addition of 3e-7 rounds;
  // the roundings do not cancel and a plain sum ends at 1000.0030000001061 (off by 1.1e-10).
  const t = makeTelemetry({ prices: ACME_PRICES });
  let page = '';
  beforeAll(() => {
    t.record(call(1000));
    for (let i = 0; i < 10_000; i++) t.record(call(0.0000003));
    page = t.metrics();
  });

  it('the cost counter reads $1,000.003 exactly', () => {
    expect(sampleValue(page, METRIC.costUsd)).toBe(1000.003);
  });

  it('the per-call cost histogram sum reads $1,000.003 exactly', () => {
    expect(sampleValue(page, `${METRIC.requestCostUsd}_sum`)).toBe(1000.003);
    expect(sampleValue(page, `${METRIC.requestCostUsd}_count`)).toBe(10_001);
  });

  it('the summary row reads $1,000.003 exactly', () => {
    expect(t.summary().total.costUsd).toBe(1000.003);
  });
});

describe('totals over many summary rows', () => {
  it('ten agents at $0.10 each total $1.00 exactly', () => {
    // 10 × $0.10 = $1.00; a plain sum of ten 0.1 doubles is 0.9999999999999999.
    const t = makeTelemetry({ prices: ACME_PRICES });
    for (let i = 0; i < 10; i++) t.record(call(0.1, `agent-${i}`));
    const summary = t.summary({ by: ['agent'] });
    expect(summary.groups).toHaveLength(10);
    for (const group of summary.groups) expect(group.costUsd).toBe(0.1);
    expect(summary.total.costUsd).toBe(1);
  });
});

describe('the cluster primary merging its workers', () => {
  /** One worker's cost counter and per-call cost histogram, each at `cost`. */
  const worker = (cost: number): FamilySnapshot[] => [
    {
      name: METRIC.costUsd,
      help: 'cost',
      type: 'counter',
      instrument: { name: 'llm.cost.usd', unit: '{USD}' },
      labelNames: ['provider', 'model'],
      uncappedLabels: [],
      buckets: [],
      series: [{ labels: ['acme', 'acme-1'], value: cost }],
    },
    {
      name: METRIC.requestCostUsd,
      help: 'cost per call',
      type: 'histogram',
      instrument: { name: 'llm.request.cost.usd', unit: '{USD}' },
      labelNames: ['provider', 'model'],
      uncappedLabels: [],
      buckets: [1],
      series: [{ labels: ['acme', 'acme-1'], counts: [1, 0], sum: cost, count: 1, min: cost, max: cost }],
    },
  ];

  it('ten workers at $0.10 each merge to $1.00 exactly, counter and histogram sum', () => {
    // 10 × $0.10 = $1.00; a plain sum of ten 0.1 doubles is 0.9999999999999999.
    const merger = new FamilyMerger(100);
    for (let i = 0; i < 10; i++) merger.merge(worker(0.1));
    const families = merger.result();
    const only = (name: string) =>
      families
        .find((f) => f.name === name)!
        .series.values()
        .next().value;
    expect((only(METRIC.costUsd) as CounterSeries).value).toBe(1);
    const histogram = only(METRIC.requestCostUsd) as HistogramSeries;
    expect(histogram.sum).toBe(1);
    expect(histogram.count).toBe(10);
  });
});
