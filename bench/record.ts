/**
 * `record()` per call (provider, model, agent, operation + token type; all five buckets, cost,
 * histograms, summary) against a bare prom-client `counter.inc()` and a bare OTel SDK
 * `counter.add()` with the same five labels, measured in the same run.
 *
 *   npx tsx bench/record.ts
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Counter, Registry } from 'prom-client';
import { resolveOptions } from '../src/config/resolve.js';
import { LLMTelemetry } from '../src/telemetry.js';
import { BENCH_AGENTS, benchCall, measure, report } from './harness.js';

const telemetry = new LLMTelemetry(resolveOptions({ prometheus: false, meterProvider: false }, {}));
const agents = BENCH_AGENTS;
const call = benchCall;

const registry = new Registry();
const promCounter = new Counter({
  name: 'bench_tokens_total',
  help: 'bench',
  labelNames: [
    'gen_ai_provider_name',
    'gen_ai_request_model',
    'gen_ai_agent_name',
    'gen_ai_operation_name',
    'llm_token_type',
  ],
  registers: [registry],
});
// A reader attached, as in an app: without one the SDK keeps no storage and add() is nearly free.
const meter = new MeterProvider({ readers: [new PrometheusExporter({ preventServerStart: true })] }).getMeter(
  'bench',
);
const otelCounter = meter.createCounter('bench.tokens');

const results = [
  measure('prom-client counter.inc() (5 labels)', (i) =>
    promCounter.inc(
      {
        gen_ai_provider_name: 'anthropic',
        gen_ai_request_model: 'claude-sonnet-4-20250514',
        gen_ai_agent_name: agents[i % agents.length]!,
        gen_ai_operation_name: 'plan',
        llm_token_type: 'input',
      },
      1,
    ),
  ),
  measure('OTel SDK counter.add() (5 attributes, reader attached)', (i) =>
    otelCounter.add(1, {
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-20250514',
      'gen_ai.agent.name': agents[i % agents.length]!,
      'gen_ai.operation.name': 'plan',
      'llm.token.type': 'input',
    }),
  ),
  measure('llm-cost-otel record() (all buckets, priced)', (i) => telemetry.record(call(i))),
];
report('record() hot path (target: median ≤ 5 µs)', results, 'prom-client counter.inc() (5 labels)');
const ours = results[2]!;
console.log(
  `\nrecord() median: ${(ours.medianNs / 1000).toFixed(2)} µs → ${ours.medianNs <= 5000 ? 'within' : 'OVER'} the 5 µs target`,
);
