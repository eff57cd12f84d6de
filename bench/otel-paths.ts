/**
 * The two ways our figures leave the process, against the libraries an app would otherwise use,
 * all in one run with the cases interleaved (round i of every case before round i+1 of any):
 *
 * 1. Per call: the same 16 instrument operations (cost and tokens × 5 buckets, the request, five
 *    histograms) through
 *    - `record()` with the embedded store only,
 *    - `record()` attached to an SDK MeterProvider with a PrometheusExporter reader (histogram
 *      values queued, recorded at collection: a collection + serialization every 1,000 calls is
 *      inside the timed loop, so its cost is counted per call),
 *    - the OTel SDK alone (API counters/histograms, the same reader attached, the same
 *      collection every 1,000 calls),
 *    - prom-client alone (same labels, `registry.metrics()` every 1,000 calls).
 * 2. Per scrape over HTTP, at 1k / 10k / 50k counter series: our embedded `/metrics`, the attached
 *    path (PrometheusExporter's own server), exporter-prometheus alone, prom-client alone. The
 *    body is read to a Buffer before the clock stops.
 *
 *   npx tsx bench/otel-paths.ts [--quick]
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Counter, Histogram, Registry } from 'prom-client';
import { resolveOptions } from '../src/config/resolve.js';
import { COST_BUCKETS_USD, DURATION_BUCKETS_SECONDS, METRIC } from '../src/metrics/names.js';
import type { CounterSeries } from '../src/metrics/series.js';
import { LLMTelemetry } from '../src/telemetry.js';
import { BENCH_AGENTS, benchCall } from './harness.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 5 : 15;
const CALLS = quick ? 10_000 : 20_000;
const COLLECT_EVERY = 10_000;
const agents = BENCH_AGENTS;
const TYPES = ['input', 'cache_read', 'cache_write', 'output', 'reasoning'];

const call = benchCall;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Run every case's round r before any case's round r+1; returns median ns per unit of work. */
async function interleaved(
  cases: Record<string, () => Promise<number> | number>,
  rounds: number,
): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const fn of Object.values(cases)) await fn(); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(cases)) samples[name]!.push(await fn());
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

function table(title: string, results: Record<string, number>, baseline: string, unit: 'µs' | 'ms'): void {
  const base = results[baseline]!;
  console.log(`\n## ${title}\n\n| case | median | × ${baseline} |\n|---|---:|---:|`);
  for (const [name, ns] of Object.entries(results)) {
    const v = unit === 'µs' ? ns / 1e3 : ns / 1e6;
    console.log(`| ${name} | ${v.toFixed(2)} ${unit} | ${(ns / base).toFixed(2)} |`);
  }
}

// ── 1. Per call ────────────────────────────────────────────────────────────────────────────
const embedded = new LLMTelemetry(resolveOptions({ prometheus: false, meterProvider: false }, {}));

const attachedExporter = new PrometheusExporter({ preventServerStart: true });
const attached = new LLMTelemetry(
  resolveOptions(
    { prometheus: false, meterProvider: new MeterProvider({ readers: [attachedExporter] }) },
    {},
  ),
);
const serializer = new PrometheusSerializer();
async function scrapeOtel(exporter: PrometheusExporter): Promise<number> {
  const { resourceMetrics } = await exporter.collect();
  return Buffer.from(serializer.serialize(resourceMetrics)).length;
}

const sdkExporter = new PrometheusExporter({ preventServerStart: true });
const sdkMeter = new MeterProvider({ readers: [sdkExporter] }).getMeter('bench');
const sdkCost = sdkMeter.createCounter('llm.cost.usd', { unit: '{USD}' });
const sdkTokens = sdkMeter.createCounter('llm.tokens', { unit: '{token}' });
const sdkRequests = sdkMeter.createCounter('llm.requests', { unit: '{request}' });
const sdkHist = (name: string, buckets: readonly number[]) =>
  sdkMeter.createHistogram(name, { advice: { explicitBucketBoundaries: [...buckets] } });
const sdkRequestCost = sdkHist('llm.request.cost.usd', COST_BUCKETS_USD);
const sdkDuration = sdkHist('llm.request.duration.seconds', DURATION_BUCKETS_SECONDS);
const sdkGenAiTokens = sdkHist('gen_ai.client.token.usage', [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536]);
const sdkGenAiDuration = sdkHist('gen_ai.client.operation.duration', [0.01, 0.04, 0.16, 0.64, 2.56, 10.24]);

function sdkCall(i: number): void {
  const base = {
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-sonnet-4-20250514',
    'gen_ai.agent.name': agents[i % agents.length]!,
    'gen_ai.operation.name': 'chat',
    'llm.operation.name': 'plan',
  };
  for (const type of TYPES) {
    sdkCost.add(0.001, { ...base, 'llm.token.type': type });
    sdkTokens.add(1000, { ...base, 'llm.token.type': type });
  }
  sdkRequests.add(1, { ...base, 'llm.outcome': 'success', 'error.type': '' });
  sdkRequestCost.record(0.05, base);
  sdkDuration.record(1.234, { ...base, 'llm.outcome': 'success' });
  const g = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'm',
  };
  sdkGenAiTokens.record(8000, { ...g, 'gen_ai.token.type': 'input' });
  sdkGenAiTokens.record(700, { ...g, 'gen_ai.token.type': 'output' });
  sdkGenAiDuration.record(1.234, g);
}

const registry = new Registry();
const LABELS = [
  'gen_ai_provider_name',
  'gen_ai_request_model',
  'gen_ai_agent_name',
  'gen_ai_operation_name',
  'llm_operation_name',
];
const pcCost = new Counter({
  name: 'llm_cost_usd_total',
  help: 'c',
  labelNames: [...LABELS, 'llm_token_type'],
  registers: [registry],
});
const pcTokens = new Counter({
  name: 'llm_tokens_total',
  help: 't',
  labelNames: [...LABELS, 'llm_token_type'],
  registers: [registry],
});
const pcRequests = new Counter({
  name: 'llm_requests_total',
  help: 'r',
  labelNames: [...LABELS, 'llm_outcome', 'error_type'],
  registers: [registry],
});
const pcHist = (name: string, labels: string[], buckets: readonly number[]) =>
  new Histogram({ name, help: 'h', labelNames: labels, buckets: [...buckets], registers: [registry] });
const pcRequestCost = pcHist('llm_request_cost_usd', LABELS, COST_BUCKETS_USD);
const pcDuration = pcHist(
  'llm_request_duration_seconds',
  [...LABELS, 'llm_outcome'],
  DURATION_BUCKETS_SECONDS,
);
const G = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model'];
const pcGenAiTokens = pcHist(
  'gen_ai_client_token_usage',
  [...G, 'gen_ai_token_type'],
  [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536],
);
const pcGenAiDuration = pcHist('gen_ai_client_operation_duration', G, [0.01, 0.04, 0.16, 0.64, 2.56, 10.24]);

function promClientCall(i: number): void {
  const base = {
    gen_ai_provider_name: 'anthropic',
    gen_ai_request_model: 'claude-sonnet-4-20250514',
    gen_ai_agent_name: agents[i % agents.length]!,
    gen_ai_operation_name: 'chat',
    llm_operation_name: 'plan',
  };
  for (const type of TYPES) {
    pcCost.inc({ ...base, llm_token_type: type }, 0.001);
    pcTokens.inc({ ...base, llm_token_type: type }, 1000);
  }
  pcRequests.inc({ ...base, llm_outcome: 'success', error_type: '' }, 1);
  pcRequestCost.observe(base, 0.05);
  pcDuration.observe({ ...base, llm_outcome: 'success' }, 1.234);
  const g = { gen_ai_operation_name: 'chat', gen_ai_provider_name: 'anthropic', gen_ai_request_model: 'm' };
  pcGenAiTokens.observe({ ...g, gen_ai_token_type: 'input' }, 8000);
  pcGenAiTokens.observe({ ...g, gen_ai_token_type: 'output' }, 700);
  pcGenAiDuration.observe(g, 1.234);
}

/** ns per call for `CALLS` calls, with a collection flattened to bytes every `COLLECT_EVERY` calls. */
function perCall(fn: (i: number) => void, collect: () => Promise<number> | number): () => Promise<number> {
  return async () => {
    let bytes = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) {
      fn(i);
      if ((i + 1) % COLLECT_EVERY === 0) bytes += await collect();
    }
    const ns = Number(process.hrtime.bigint() - start) / CALLS;
    if (bytes === 0) throw new Error('nothing serialized');
    return ns;
  };
}

const perCallResults = await interleaved(
  {
    'record(), embedded store': perCall(
      (i) => embedded.record(call(i)),
      () => Buffer.from(embedded.metrics()).length,
    ),
    'record(), attached to MeterProvider + PrometheusExporter': perCall(
      (i) => attached.record(call(i)),
      () => scrapeOtel(attachedExporter),
    ),
    'OTel SDK alone, same 16 operations, reader attached': perCall(sdkCall, () => scrapeOtel(sdkExporter)),
    'prom-client alone, same 16 operations': perCall(
      promClientCall,
      async () => Buffer.from(await registry.metrics()).length,
    ),
  },
  ROUNDS,
);
table(
  `Per call: 16 instrument operations, a scrape every ${COLLECT_EVERY.toLocaleString('en')} calls included`,
  perCallResults,
  'record(), embedded store',
  'µs',
);

// Without the scrape, the hot path alone (the figure the ≤ 1 µs target is about).
const hot = await interleaved(
  {
    'record(), embedded store': () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) embedded.record(call(i));
      return Number(process.hrtime.bigint() - start) / CALLS;
    },
    'record(), attached (queue only; recorded at collection)': async () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) attached.record(call(i));
      const ns = Number(process.hrtime.bigint() - start) / CALLS;
      await scrapeOtel(attachedExporter); // drain outside the clock
      return ns;
    },
  },
  ROUNDS,
);
table('Hot path alone (no scrape)', hot, 'record(), embedded store', 'µs');

// ── 2. Per scrape over HTTP ──────────────────────────────────────────────────────────────
async function listen(server: Server): Promise<{ url: string; server: Server }> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server };
}

async function fetchBytes(url: string): Promise<number> {
  const res = await fetch(url);
  return Buffer.from(await res.arrayBuffer()).length;
}

const pageBytes = new Map<string, number>();

function timed(url: string): () => Promise<number> {
  return async () => {
    const start = process.hrtime.bigint();
    const bytes = await fetchBytes(url);
    const ns = Number(process.hrtime.bigint() - start);
    if (bytes === 0) throw new Error(`empty page from ${url}`);
    pageBytes.set(url, bytes);
    return ns;
  };
}

const labelValues = (i: number) => [
  'openai',
  `gpt-4o-${i % 97}`,
  `agent-${Math.floor(i / 5)}`,
  'chat',
  `op-${i % 13}`,
  TYPES[i % 5]!,
];

for (const n of quick ? [1_000, 10_000] : [1_000, 10_000, 50_000]) {
  const maxSeries = n + 10;
  const own = new LLMTelemetry(
    resolveOptions({ prometheus: { server: true, port: 0 }, meterProvider: false, maxSeries }, {}),
  );
  // exporter-prometheus reads port 0 as "default 9464": serve its request handler from a server of
  // ours on an ephemeral port instead (the same collection and serialization per request).
  const exporter = new PrometheusExporter({ preventServerStart: true });
  // The SDK caps each instrument at 2,000 series by default: raise it so every case serves n.
  const views = [{ instrumentName: '*', aggregationCardinalityLimit: n + 10 }];
  const viaOtel = new LLMTelemetry(
    resolveOptions(
      { prometheus: false, maxSeries, meterProvider: new MeterProvider({ readers: [exporter], views }) },
      {},
    ),
  );
  const fill = (t: LLMTelemetry) => {
    const cost = (
      t as unknown as { metricFamilies: { cost: { get(k: string, v: string[]): CounterSeries } } }
    ).metricFamilies.cost;
    for (let i = 0; i < n; i++) {
      const v = labelValues(i);
      cost.get(v.join('\u0000'), v).add(0.001 * (i + 1));
    }
  };
  fill(own);
  fill(viaOtel);

  const aloneExporter = new PrometheusExporter({ preventServerStart: true });
  const aloneCounter = new MeterProvider({ readers: [aloneExporter], views })
    .getMeter('bench')
    .createCounter(METRIC.costUsd.replace(/_total$/, '').replaceAll('_', '.'), { unit: '{USD}' });
  for (let i = 0; i < n; i++) {
    const v = labelValues(i);
    aloneCounter.add(0.001 * (i + 1), {
      'gen_ai.provider.name': v[0]!,
      'gen_ai.request.model': v[1]!,
      'gen_ai.agent.name': v[2]!,
      'gen_ai.operation.name': v[3]!,
      'llm.operation.name': v[4]!,
      'llm.token.type': v[5]!,
    });
  }

  const pcRegistry = new Registry();
  const pc = new Counter({
    name: METRIC.costUsd,
    help: 'Cost of LLM calls in USD, by billing bucket.',
    labelNames: [...LABELS, 'llm_token_type'],
    registers: [pcRegistry],
  });
  for (let i = 0; i < n; i++) {
    const v = labelValues(i);
    pc.inc(Object.fromEntries(v.map((x, j) => [[...LABELS, 'llm_token_type'][j]!, x])), 0.001 * (i + 1));
  }
  const pcServer = createServer(async (_req, res) => {
    const body = await pcRegistry.metrics();
    res.writeHead(200, { 'content-type': pcRegistry.contentType }).end(body);
  });

  const serve = (e: PrometheusExporter) =>
    listen(createServer((req, res) => e.getMetricsRequestHandler(req, res)));
  const exporterServer = await serve(exporter);
  const aloneServer = await serve(aloneExporter);
  const results = await interleaved(
    {
      'embedded /metrics (our server)': timed((await own.metricsUrl())!),
      'attached: PrometheusExporter of the app MeterProvider': timed(exporterServer.url),
      'exporter-prometheus alone (API counter)': timed(aloneServer.url),
      'prom-client alone (registry.metrics() over HTTP)': timed((await listen(pcServer)).url),
    },
    quick ? 5 : 11,
  );
  table(
    `Scrape over HTTP, ${n.toLocaleString('en')} counter series`,
    results,
    'embedded /metrics (our server)',
    'ms',
  );
  // Same work on every side: each page holds the n series (sizes differ only by format details).
  console.log(
    `\npage sizes: ${[...pageBytes.values()].map((b) => `${(b / 1024).toFixed(0)} KiB`).join(', ')}`,
  );
  pageBytes.clear();
  await own.shutdown();
  await viaOtel.shutdown();
  await exporter.shutdown();
  await aloneExporter.shutdown();
  pcServer.close();
  exporterServer.server.close();
  aloneServer.server.close();
}
await embedded.shutdown();
await attached.shutdown();
