/**
 * `/metrics` serialization at 1k, 10k and 50k series: our exposition (src/metrics/exposition.ts)
 * against prom-client serializing the same series (same names, labels, values), plus heap per
 * series. Counters (one line per series) and histograms (25 cost buckets: 28 lines per series).
 *
 *   node --expose-gc --import tsx bench/serialization.ts      (heap figures need --expose-gc)
 *
 * Times are medians of repeated serializations after a warm-up, in one process, so the ratio
 * against prom-client is the figure to read; absolute times depend on the machine.
 */
import { cpus } from 'node:os';
import { Counter, Histogram, Registry } from 'prom-client';
import { serialize } from '../src/metrics/exposition.js';
import { MetricFamily } from '../src/metrics/family.js';
import { COST_BUCKETS_USD } from '../src/metrics/names.js';

const LABELS = [
  'gen_ai_provider_name',
  'gen_ai_request_model',
  'gen_ai_agent_name',
  'gen_ai_operation_name',
  'llm_token_type',
];
const gc = (globalThis as { gc?: () => void }).gc;

function labelValues(i: number): string[] {
  return ['openai', `gpt-4o-${i % 97}`, `agent-${Math.floor(i / 5)}`, `op-${i % 13}`, `t${i % 5}`];
}

function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

async function median(fn: () => unknown | Promise<unknown>, rounds: number): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function ours(kind: 'counter' | 'histogram', n: number): MetricFamily {
  const family = new MetricFamily({
    name: kind === 'counter' ? 'llm_cost_usd_total' : 'llm_request_cost_usd',
    instrument: { name: 'x', unit: '{USD}' },
    help: 'Cost of LLM calls in USD.',
    type: kind,
    labelNames: LABELS,
    buckets: kind === 'histogram' ? COST_BUCKETS_USD : undefined,
    maxSeries: n + 1,
    quiet: true,
  });
  for (let i = 0; i < n; i++) {
    const values = labelValues(i);
    const series = family.get(values.join('\u0000'), values);
    if (kind === 'counter') (series as { add(v: number): void }).add(0.000123 * (i + 1));
    else for (let k = 0; k < 3; k++) (series as { observe(v: number): void }).observe(0.0001 * (i + k + 1));
  }
  return family;
}

function theirs(kind: 'counter' | 'histogram', n: number): Registry {
  const registry = new Registry();
  if (kind === 'counter') {
    const c = new Counter({
      name: 'llm_cost_usd_total',
      help: 'Cost of LLM calls in USD.',
      labelNames: LABELS,
      registers: [registry],
    });
    for (let i = 0; i < n; i++) {
      const v = labelValues(i);
      c.inc(Object.fromEntries(LABELS.map((l, j) => [l, v[j]!])), 0.000123 * (i + 1));
    }
  } else {
    const h = new Histogram({
      name: 'llm_request_cost_usd',
      help: 'Cost of LLM calls in USD.',
      labelNames: LABELS,
      buckets: [...COST_BUCKETS_USD],
      registers: [registry],
    });
    for (let i = 0; i < n; i++) {
      const v = labelValues(i);
      const labels = Object.fromEntries(LABELS.map((l, j) => [l, v[j]!]));
      for (let k = 0; k < 3; k++) h.observe(labels, 0.0001 * (i + k + 1));
    }
  }
  return registry;
}

interface Row {
  kind: string;
  series: number;
  oursMs: number;
  promMs: number;
  ratio: number;
  oursBytesPerSeries?: number;
  promBytesPerSeries?: number;
  outputKB: number;
}

const rows: Row[] = [];
for (const kind of ['counter', 'histogram'] as const) {
  for (const n of [1_000, 10_000, 50_000]) {
    const rounds = n >= 50_000 ? 7 : 15;
    let before = heap();
    const family = ours(kind, n);
    const oursBytes = gc ? (heap() - before) / n : undefined;
    before = heap();
    const registry = theirs(kind, n);
    const promBytes = gc ? (heap() - before) / n : undefined;
    const text = serialize([family]);
    const oursMs = await median(() => serialize([family]), rounds);
    const promMs = await median(() => registry.metrics(), rounds);
    rows.push({
      kind,
      series: n,
      oursMs,
      promMs,
      ratio: oursMs / promMs,
      oursBytesPerSeries: oursBytes,
      promBytesPerSeries: promBytes,
      outputKB: Math.round(Buffer.byteLength(text) / 1024),
    });
  }
}

console.log(
  `\n## /metrics serialization — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}\n`,
);
console.log(
  '| family | series | ours (median) | prom-client (median) | ours ÷ prom-client | heap/series ours | heap/series prom-client | output |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const bytes = (b?: number) => (b === undefined ? 'n/a (run with --expose-gc)' : `${Math.round(b)} B`);
for (const r of rows) {
  console.log(
    `| ${r.kind} | ${r.series.toLocaleString('en')} | ${r.oursMs.toFixed(2)} ms | ${r.promMs.toFixed(2)} ms | ${r.ratio.toFixed(2)} | ${bytes(r.oursBytesPerSeries)} | ${bytes(r.promBytesPerSeries)} | ${r.outputKB.toLocaleString('en')} KB |`,
  );
}
const tenK = rows.find((r) => r.kind === 'counter' && r.series === 10_000)!;
console.log(
  `\nTargets: 10k series ≤ 100 ms → ${tenK.oursMs.toFixed(2)} ms (${tenK.oursMs <= 100 ? 'met' : 'MISSED'}); within 2× of prom-client → ${tenK.ratio.toFixed(2)}× (${tenK.ratio <= 2 ? 'met' : 'MISSED'})`,
);
