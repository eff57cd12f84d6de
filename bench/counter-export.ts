/**
 * How our counter families reach an app's MeterProvider: observable counters (the SDK reads each
 * series' cumulative value per collection) against API counters fed each series' growth since the
 * last collection (what src/export/meter-export.ts does, because the SDK sums adds under a View
 * that drops an attribute but keeps only the last observation of an observable). Per scrape through
 * a PrometheusExporter (collect + serialize, flattened with Buffer.from), when 1 % and when all of
 * the series grew since the previous scrape; cases interleaved, medians, ratios to observables.
 */
import { type Attributes, type BatchObservableResult, ValueType } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

interface Row {
  value: number;
  reported: number;
  attributes: Attributes;
}

function setup(kind: 'observable' | 'counter', n: number) {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meter = new MeterProvider({ readers: [exporter] }).getMeter('bench');
  const rows: Row[] = Array.from({ length: n }, (_, i) => ({
    value: 0,
    reported: 0,
    attributes: {
      'gen_ai.request.model': `model-${i % 50}`,
      'gen_ai.agent.name': `agent-${i}`,
      'llm.token.type': 'input',
    },
  }));
  const gauge = meter.createObservableGauge('llm.budget.limit.usd');
  if (kind === 'observable') {
    const counter = meter.createObservableCounter('llm.cost.usd', { valueType: ValueType.DOUBLE });
    meter.addBatchObservableCallback(
      (result: BatchObservableResult) => {
        for (const row of rows) result.observe(counter, row.value, row.attributes);
        result.observe(gauge, 1);
      },
      [counter, gauge],
    );
  } else {
    const counter = meter.createCounter('llm.cost.usd', { valueType: ValueType.DOUBLE });
    meter.addBatchObservableCallback(
      (result: BatchObservableResult) => {
        for (const row of rows) {
          const growth = row.value - row.reported;
          if (growth > 0) {
            counter.add(growth, row.attributes);
            row.reported = row.value;
          }
        }
        result.observe(gauge, 1);
      },
      [gauge],
    );
  }
  const serializer = new PrometheusSerializer();
  const scrape = async () => {
    const { resourceMetrics } = await exporter.collect();
    return Buffer.from(serializer.serialize(resourceMetrics)).length;
  };
  return { rows, scrape };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const n of [1_000, 10_000]) {
  const cases = { observable: setup('observable', n), counter: setup('counter', n) };
  const times: Record<string, number[]> = {};
  for (let round = 0; round < 14; round++) {
    for (const [name, c] of Object.entries(cases)) {
      for (const [share, step] of [
        ['1%', 100],
        ['all', 1],
      ] as const) {
        for (let i = 0; i < n; i += step) c.rows[i]!.value += 0.001;
        const start = performance.now();
        await c.scrape();
        const elapsed = performance.now() - start;
        if (round < 2) continue;
        const key = `${name} ${share}`;
        times[key] = [...(times[key] ?? []), elapsed];
      }
    }
  }
  for (const share of ['1%', 'all']) {
    const base = median(times[`observable ${share}`]!);
    const fed = median(times[`counter ${share}`]!);
    console.log(
      `${n} series, ${share} grew: observable ${base.toFixed(1)} ms/scrape, fed counters ${fed.toFixed(1)} ms (${(fed / base).toFixed(2)}×)`,
    );
  }
}
