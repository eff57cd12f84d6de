/**
 * The run families in the contract: exact exposition text of one run (hand-checked), and the same
 * samples through the app's MeterProvider + exporter-prometheus and through prom-client.
 */
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { DataPointType, type HistogramMetricData, MeterProvider } from '@opentelemetry/sdk-metrics';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { METRIC, OTEL_NAMES } from '../../src/metrics/names.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { collectOtlpMetrics } from '../support/otlp-export.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

const RUN_FAMILIES = [
  METRIC.agentRuns,
  METRIC.agentRunCostUsd,
  METRIC.agentRunDurationSeconds,
  METRIC.agentRunLlmCalls,
  METRIC.agentBaselineCostPerSuccessUsd,
];

/** Sample lines of the run families (duration values dropped: wall clock), without scope labels. */
function runLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => RUN_FAMILIES.some((f) => l.startsWith(f)))
    .filter((l) => !l.startsWith(METRIC.agentRunDurationSeconds))
    .map((l) => l.replace(/,?otel_scope_(name|version|schema_url)="[^"]*"/g, ''))
    .filter((l) => !/_(bucket|sum|count)\{.*\} 0$/.test(l) || !/(failure|abandoned)"/.test(l))
    .sort();
}

async function oneRun(t: LLMTelemetry): Promise<void> {
  await t.withAgentRun({ agent: 'coder', variant: 'b' }, () => {
    // 2000 × $1/M + 500 × $4/M = 0.004, in two calls of 0.002
    t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 2000, outputTokens: 0 } });
    t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 0, outputTokens: 500 } });
  });
}

const OPTIONS = {
  prices: ACME_PRICES,
  runs: { dimensions: ['variant'], baselines: { coder: { baselineCostPerSuccessUsd: 0.003 } } },
};

let t: LLMTelemetry | undefined;
afterEach(async () => {
  await t?.shutdown();
  t = undefined;
});

describe('run families', () => {
  it('exact exposition of one successful run', async () => {
    t = makeTelemetry(OPTIONS);
    await oneRun(t);
    const L = 'gen_ai_agent_name="coder",variant="b",llm_run_outcome="success"';
    const lines = runLines(t.metrics());
    expect(lines).toContain(`llm_agent_runs_total{${L}} 1`);
    expect(lines).toContain(
      `llm_agent_runs_total{gen_ai_agent_name="coder",variant="b",llm_run_outcome="failure"} 0`,
    );
    expect(lines).toContain(`llm_agent_run_cost_usd_sum{${L}} 0.004`);
    // 0.004 lies in (0.0025, 0.005]
    expect(lines).toContain(`llm_agent_run_cost_usd_bucket{${L},le="0.0025"} 0`);
    expect(lines).toContain(`llm_agent_run_cost_usd_bucket{${L},le="0.005"} 1`);
    expect(lines).toContain(`llm_agent_run_llm_calls_bucket{${L},le="1"} 0`);
    expect(lines).toContain(`llm_agent_run_llm_calls_bucket{${L},le="2"} 1`);
    expect(lines).toContain(`llm_agent_run_llm_calls_sum{${L}} 2`);
    expect(lines).toContain('llm_agent_baseline_cost_per_success_usd{gen_ai_agent_name="coder"} 0.003');
  });

  it('the same samples through the MeterProvider (exporter-prometheus) and prom-client', async () => {
    t = makeTelemetry(OPTIONS);
    await oneRun(t);
    const embedded = runLines(t.metrics());
    await t.shutdown();

    const exporter = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ readers: [exporter] });
    t = makeTelemetry({ ...OPTIONS, meterProvider: provider });
    await oneRun(t);
    const { resourceMetrics } = await exporter.collect();
    const served = runLines(new PrometheusSerializer().serialize(resourceMetrics));
    // An API histogram has no series before its first value: compare the non-empty ones.
    const nonEmpty = (lines: string[]) => lines.filter((l) => !/_(bucket|sum|count)\{.*\} 0$/.test(l));
    expect(nonEmpty(served)).toEqual(nonEmpty(embedded));
    expect(served).toContain(
      'llm_agent_runs_total{gen_ai_agent_name="coder",variant="b",llm_run_outcome="success"} 1',
    );
    expect(served).toContain(
      'llm_agent_run_cost_usd_sum{gen_ai_agent_name="coder",variant="b",llm_run_outcome="success"} 0.004',
    );
    expect(served).toContain('llm_agent_baseline_cost_per_success_usd{gen_ai_agent_name="coder"} 0.003');
    await t.shutdown();
    await provider.shutdown();

    const registry = new Registry();
    t = makeTelemetry({ ...OPTIONS, promClientRegistry: registry });
    await oneRun(t);
    expect(runLines(await registry.metrics())).toEqual(embedded);
  });

  it('the OTLP metric producer carries them with brace units and dotted attribute keys', async () => {
    t = makeTelemetry(OPTIONS);
    await oneRun(t);
    const metrics = await collectOtlpMetrics(t.metricProducer);
    const cost = metrics.find(
      (m) => m.descriptor.name === OTEL_NAMES.agentRunCostUsd.name,
    ) as HistogramMetricData;
    expect(cost.descriptor.unit).toBe('{USD}');
    expect(cost.dataPointType).toBe(DataPointType.HISTOGRAM);
    const success = cost.dataPoints.find((p) => p.attributes['llm.run.outcome'] === 'success')!;
    expect(success.attributes).toEqual({
      'gen_ai.agent.name': 'coder',
      variant: 'b',
      'llm.run.outcome': 'success',
    });
    expect(success.value.sum).toBeCloseTo(0.004, 12);
    const runs = metrics.find((m) => m.descriptor.name === OTEL_NAMES.agentRuns.name)!;
    expect(runs.descriptor.unit).toBe('{run}');
    expect(runs.dataPointType).toBe(DataPointType.SUM);
  });
});
