/**
 * What our OpenAI wrapper adds to one `chat.completions.create` call, against the bare SDK and
 * against the two peer instrumentations, all in this one process. No network: the SDK's `fetch`
 * option answers from memory with a recorded-shape body. Spans go to a real (recording) tracer
 * provider with no exporter, the same for every instrumentation; metrics: ours to our in-process
 * store, the peers' to the global (no-op) meter, as when nobody set up an OTel metrics SDK.
 *
 * Run: `npx tsx bench/sdk-overhead.ts`. Target: added time ≤ 10 % of the bare call and no more than
 * `@opentelemetry/instrumentation-openai` adds (which computes no cost).
 */
import { metrics, trace } from '@opentelemetry/api';
import { OpenAIInstrumentation as OtelOpenAI } from '@opentelemetry/instrumentation-openai';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { OpenAIInstrumentation as TraceloopOpenAI } from '@traceloop/instrumentation-openai';
import OpenAI, * as openaiModule from 'openai';
import { resolveOptions } from '../src/config/resolve.js';
import { LLMTelemetry } from '../src/telemetry.js';
import { type CaseResult, report } from './harness.js';
import { BASIC_USAGE, chatCompletionJson, jsonFetch } from './openai-fixture.js';

const tracerProvider = new BasicTracerProvider();
trace.setGlobalTracerProvider(tracerProvider);

const COMPLETION = chatCompletionJson(
  'Hello there!',
  {
    ...BASIC_USAGE,
    prompt_tokens_details: { cached_tokens: 64 },
    completion_tokens_details: { reasoning_tokens: 0 },
  },
  { service_tier: 'default' },
);
const CHUNKS = [
  ...['Hello', ' there', ',', ' how', ' can', ' I', ' help', '?'].map((content) => ({
    choices: [{ index: 0, delta: { content } }],
  })),
  { choices: [], usage: { prompt_tokens: 120, completion_tokens: 8, total_tokens: 128 } },
];
const SSE = `${CHUNKS.map((c) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', ...c })}\n\n`).join('')}data: [DONE]\n\n`;

const fetchJson = jsonFetch(COMPLETION);
const fetchSse = async () => new Response(SSE, { headers: { 'content-type': 'text/event-stream' } });
const client = (fetch: typeof fetchJson) =>
  new OpenAI({ apiKey: 'sk-bench', baseURL: 'http://bench.invalid/v1', fetch });

const body = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Hello' }] };
const jsonCall = (c: OpenAI) => () => c.chat.completions.create(body);
const streamCall = (c: OpenAI) => async () => {
  for await (const _ of await c.chat.completions.create({ ...body, stream: true })) {
    // drain
  }
};

// The fake provider accepts stream_options: list it, so streams take the full usage-injection path.
const telemetry = new LLMTelemetry(
  resolveOptions({ prometheus: false, tracerProvider, openaiStreamUsageHosts: ['127.0.0.1'] }, {}),
);
const otel = new OtelOpenAI();
otel.disable();
otel.setTracerProvider(tracerProvider);
otel.setMeterProvider(metrics.getMeterProvider());
const traceloop = new TraceloopOpenAI();
traceloop.disable();
traceloop.setTracerProvider(tracerProvider);

// Traceloop's manual patch has no unpatch: put the SDK's own functions back by hand.
const PROTOTYPES = [
  OpenAI.Chat.Completions.prototype,
  OpenAI.Completions.prototype,
  OpenAI.Embeddings.prototype,
  OpenAI.Responses.prototype,
  OpenAI.Images.prototype,
] as unknown as Array<Record<string, unknown>>;
type Snapshot = Array<[Record<string, unknown>, Record<string, unknown>]>;
let saved: Snapshot = [];
const snapshot = (): Snapshot =>
  PROTOTYPES.map((p) => [p, Object.fromEntries(Object.getOwnPropertyNames(p).map((k) => [k, p[k]]))]);
const restore = (snap: Snapshot) => {
  for (const [p, fields] of snap) for (const [k, v] of Object.entries(fields)) if (p[k] !== v) p[k] = v;
};

interface Variant {
  name: string;
  setup(): void;
  teardown(): void;
  make(fetch: typeof fetchJson): OpenAI;
}
const otelDefinition = otel.getModuleDefinitions()[0]!;
const variants: Variant[] = [
  { name: 'bare openai', setup() {}, teardown() {}, make: client },
  { name: 'llm-cost-otel', setup() {}, teardown() {}, make: (f) => telemetry.instrument(client(f)) },
  {
    name: '@opentelemetry/instrumentation-openai',
    setup: () => {
      otel.enable();
      otelDefinition.patch?.(openaiModule);
    },
    teardown: () => {
      otelDefinition.unpatch?.(openaiModule);
      otel.disable();
    },
    make: client,
  },
  {
    name: '@traceloop/instrumentation-openai',
    setup: () => {
      saved = snapshot();
      traceloop.enable();
      traceloop.manuallyInstrument(OpenAI);
    },
    teardown: () => {
      traceloop.disable();
      restore(saved);
    },
    make: client,
  },
];

/**
 * Rounds interleave the variants (setup, a timed batch, teardown), so drift and GC pressure fall
 * on all of them alike; each variant's figure is the median of its per-round means.
 */
async function suite(title: string, call: (c: OpenAI) => () => Promise<unknown>, fetch: typeof fetchJson) {
  const ROUNDS = 25;
  const BATCH = 400;
  const perRound = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = -3; round < ROUNDS; round++) {
    for (const v of variants) {
      v.setup();
      const fn = call(v.make(fetch));
      const start = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) await fn();
      const ns = Number(process.hrtime.bigint() - start) / BATCH;
      v.teardown();
      if (round >= 0) perRound.get(v.name)?.push(ns); // negative rounds warm up
    }
  }
  const results: CaseResult[] = variants.map((v) => {
    const xs = (perRound.get(v.name) ?? []).sort((a, b) => a - b);
    const at = (q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;
    return { name: v.name, medianNs: at(0.5), p10Ns: at(0.1), p90Ns: at(0.9) };
  });
  report(title, results, 'bare openai');
  const base = results[0]?.medianNs ?? Number.NaN;
  for (const r of results.slice(1)) {
    const added = r.medianNs - base;
    console.log(
      `- ${r.name}: ${added >= 0 ? '+' : ''}${(added / 1000).toFixed(2)} µs/call (${((added / base) * 100).toFixed(1)} % of bare)`,
    );
  }
  const ours = (results[1]?.medianNs ?? Number.NaN) - base;
  const official = (results[2]?.medianNs ?? Number.NaN) - base;
  console.log(
    `- target: llm-cost-otel adds ${((ours / base) * 100).toFixed(1)} % of bare (≤ 10 %), ${(ours / official).toFixed(2)}× what the official instrumentation adds (≤ 1.00×)`,
  );
}

await suite('chat.completions.create (JSON), in-memory fetch', jsonCall, fetchJson);
await suite('chat.completions.create (stream, 9 chunks), in-memory fetch', streamCall, fetchSse);
await telemetry.shutdown();
