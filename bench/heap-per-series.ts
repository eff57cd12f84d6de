/**
 * Heap per series: the same N counter series (the cost family's six labels: provider, model,
 * agent, API operation, app operation, token type) held by our store, by the OpenTelemetry SDK
 * (a reader attached: without one it keeps nothing) and by prom-client. Each case runs in a fresh
 * `node --expose-gc` process; the label values are built before the first heap reading and kept
 * alive, so only what the store itself holds is counted. Histogram series (the duration family's
 * six labels) are measured the same way.
 *
 *   npx tsx bench/heap-per-series.ts                  # the working tree's dist/ (npm run build first)
 *   npx tsx bench/heap-per-series.ts before=$(sh bench/build-ref.sh <commit>) after=dist
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseBuilds } from './builds.js';

const N = Number(process.env.LLM_BENCH_SERIES ?? 20_000);
const builds = parseBuilds(process.argv.slice(2));

// Shared by every case: N label tuples (4,000 agents × 5 token types / outcomes), then a
// measurement of the heap the store grew by while holding one series per tuple.
const prelude = `
const N = ${N};
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'o3'];
const KINDS = ${'{'} counter: ['input', 'cache_read', 'cache_write', 'output', 'reasoning'], histogram: ['success', 'error', 'aborted', 'success', 'error'] ${'}'};
const kind = process.argv[1];
const tuples = [];
for (let i = 0; i < N; i++) {
  const row = Math.floor(i / 5);
  tuples.push(['openai', MODELS[row % 5], 'agent-' + row, 'chat', 'plan', KINDS[kind][i % 5]]);
}
// Several full collections with event-loop turns between them: start-up garbage (compiled code,
// module records) is released lazily, and one gc() can leave megabytes of it in the first reading.
// Held on globalThis (the label values here, each store below): across a top-level await V8
// drops what the rest of the script no longer uses, and a store collected before the second
// reading would read as (nearly) free.
globalThis.keepAlive = [tuples];
const heap = async () => { for (let i = 0; i < 6; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); } return process.memoryUsage().heapUsed; };
`;
const finish = `
const after = await heap();
process.stdout.write(String((after - before) / N));
`;

const LABELS = `['gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_agent_name', 'gen_ai_operation_name', 'llm_operation_name', kind === 'counter' ? 'llm_token_type' : 'llm_outcome']`;

const otelScript = `${prelude}
const { MeterProvider } = await import('@opentelemetry/sdk-metrics');
const { PrometheusExporter } = await import('@opentelemetry/exporter-prometheus');
const labels = ${LABELS};
const attrs = tuples.map((t) => Object.fromEntries(labels.map((l, j) => [l, t[j]])));
globalThis.keepAlive.push(attrs);
const provider = new MeterProvider({
  readers: [new PrometheusExporter({ preventServerStart: true })],
  // The SDK's default cardinality limit (2,000) would fold our N series into one overflow series.
  views: [{ instrumentName: 'bench', aggregationCardinalityLimit: N + 10 }],
});
const meter = provider.getMeter('bench');
globalThis.keepAlive.push(provider);
const instrument = kind === 'counter'
  ? meter.createCounter('bench', { advice: {} })
  : meter.createHistogram('bench', { advice: { explicitBucketBoundaries: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300] } });
instrument.add ? instrument.add(0, attrs[0]) : instrument.record(0, attrs[0]);
const before = await heap();
for (const a of attrs) kind === 'counter' ? instrument.add(1, a) : instrument.record(1.5, a);
${finish}`;

const promScript = `${prelude}
const { Counter, Histogram, Registry } = await import('prom-client');
const labels = ${LABELS};
const attrs = tuples.map((t) => Object.fromEntries(labels.map((l, j) => [l, t[j]])));
globalThis.keepAlive.push(attrs);
const registers = [new Registry()];
const metric = kind === 'counter'
  ? new Counter({ name: 'bench', help: 'bench', labelNames: labels, registers })
  : new Histogram({ name: 'bench', help: 'bench', labelNames: labels, registers, buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300] });
globalThis.keepAlive.push(metric);
const before = await heap();
for (const a of attrs) kind === 'counter' ? metric.inc(a, 1) : metric.observe(a, 1.5);
${finish}`;

const libraryScript = (dist: string) => `${prelude}
const { register } = await import(${JSON.stringify(pathToFileURL(resolve(dist, 'index.js')).href)});
const telemetry = register({ prometheus: { server: false }, meterProvider: false, maxSeries: 1000000 });
const name = kind === 'counter' ? 'llm_cost_usd_total' : 'llm_request_duration_seconds';
// The store's families are internal; the bench reaches the one it measures by its exposition name.
const families = Object.values(telemetry).find((v) => Array.isArray(v) && v.some((f) => f?.name === name));
const family = families.find((f) => f.name === name);
globalThis.keepAlive.push(telemetry);
// Histograms here are the duration family: base labels + outcome.
const before = await heap();
for (const t of tuples) kind === 'counter' ? family.at(t).add(1) : family.at(t).observe(1.5);
${finish}
await telemetry.shutdown();`;

const cases = [
  { name: '@opentelemetry/sdk-metrics (reader attached)', script: otelScript },
  { name: 'prom-client', script: promScript },
  ...builds.map((b) => ({ name: `llm-cost-otel ${b.label} (${b.dir})`, script: libraryScript(b.dir) })),
];

console.log(`\n## Heap per series: ${N.toLocaleString('en')} series, six labels, fresh process each\n`);
console.log('| store | counter series | histogram series (10 buckets) |');
console.log('|---|---:|---:|');
for (const c of cases) {
  const bytes = ['counter', 'histogram'].map((kind) =>
    Number(
      execFileSync(
        process.execPath,
        ['--expose-gc', '--no-flush-bytecode', '--input-type=module', '-e', c.script, kind],
        {
          cwd: process.cwd(),
          env: { ...process.env, LLM_COST_INSTRUMENTATIONS: 'none', OTEL_LOG_LEVEL: 'none' },
        },
      ).toString(),
    ),
  );
  console.log(`| ${c.name} | ${bytes.map((b) => `${(b / 1000).toFixed(2)} kB`).join(' | ')} |`);
}
