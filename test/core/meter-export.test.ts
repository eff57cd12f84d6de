/**
 * The families on the app's Meter: counters/gauges read from the store at collection time,
 * histogram values queued on their series (bounded) and recorded in the same collection; a
 * MeterProvider that appears after `register()` takes the metrics over and our own server closes.
 */
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type HistogramMetricData,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../../src/config/resolve.js';
import { OTEL_NAMES } from '../../src/metrics/names.js';
import type { HistogramSeries } from '../../src/metrics/series.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

class TestReader extends MetricReader {
  constructor(temporality = AggregationTemporality.CUMULATIVE) {
    super({ aggregationTemporalitySelector: () => temporality });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const call = {
  provider: 'acme',
  model: 'acme-1',
  usage: { inputTokens: 1000, outputTokens: 100 },
  durationMs: 500,
};

async function durationCount(reader: MetricReader): Promise<number> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === OTEL_NAMES.requestDurationSeconds.name) as
    | HistogramMetricData
    | undefined;
  expect(metric?.dataPointType ?? DataPointType.HISTOGRAM).toBe(DataPointType.HISTOGRAM);
  return (metric?.dataPoints ?? []).reduce((n, p) => n + p.value.count, 0);
}

let telemetry: LLMTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
  metrics.disable();
});

describe('histograms through the Meter', () => {
  it('values recorded before a collection are in that collection, cumulative and delta alike', async () => {
    for (const temporality of [AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA]) {
      const reader = new TestReader(temporality);
      const t = makeTelemetry({
        prices: ACME_PRICES,
        meterProvider: new MeterProvider({ readers: [reader] }),
      });
      for (let i = 0; i < 3; i++) t.record(call);
      expect(await durationCount(reader)).toBe(3);
      t.record(call);
      expect(await durationCount(reader)).toBe(temporality === AggregationTemporality.CUMULATIVE ? 4 : 1);
      await t.shutdown();
    }
  });

  it('a series never holds more than 1024 waiting values: a full queue is recorded at once', async () => {
    const reader = new TestReader();
    telemetry = makeTelemetry({
      prices: ACME_PRICES,
      meterProvider: new MeterProvider({ readers: [reader] }),
    });
    for (let i = 0; i < 2500; i++) telemetry.record(call);
    const families = (
      telemetry as unknown as { families: { name: string; series: Map<string, HistogramSeries> }[] }
    ).families;
    const duration = families.find((f) => f.name === 'llm_request_duration_seconds')!;
    for (const s of duration.series.values()) expect(s.pending!.length).toBeLessThan(1024);
    expect(await durationCount(reader)).toBe(2500);
  });
});

describe('which exit carries the metrics', () => {
  it('a no-op Meter (no MeterProvider registered) is ignored: our own server serves', async () => {
    telemetry = makeTelemetry({ meterProvider: undefined, prometheus: { server: 'auto', port: 0 } });
    expect(await telemetry.metricsUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  });

  it('a global MeterProvider registered after register() takes over; our server closes, said once', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      telemetry = makeTelemetry({
        meterProvider: undefined,
        prices: ACME_PRICES,
        prometheus: { server: 'auto', port: 0 },
      });
      const url = await telemetry.metricsUrl();
      expect(url).toBeDefined();
      telemetry.record(call);
      const reader = new TestReader();
      metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
      const deadline = Date.now() + 10_000;
      while ((await telemetry.metricsUrl()) !== undefined && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await telemetry.metricsUrl()).toBeUndefined();
      await expect(fetch(url!)).rejects.toThrow();
      const said = stderr.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('MeterProvider'));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(`the library's own endpoint ${url} is closed`);
      // Counters carry everything recorded before the move.
      const { resourceMetrics } = await reader.collect();
      const requests = resourceMetrics.scopeMetrics
        .flatMap((s) => s.metrics)
        .find((m) => m.descriptor.name === OTEL_NAMES.requests.name)!;
      expect(requests.dataPoints.reduce((n, p) => n + (p.value as number), 0)).toBe(1);
    } finally {
      stderr.mockRestore();
    }
  });

  it('a prom-client registry means no server of our own unless asked for', () => {
    const registry = { registerMetric() {}, getSingleMetric() {}, removeSingleMetric() {} };
    expect(resolveOptions({ promClientRegistry: registry }, {}).prometheus.server).toBe(false);
    expect(resolveOptions({}, {}).prometheus.server).toBe('auto');
    expect(
      resolveOptions({ promClientRegistry: registry, prometheus: { server: true } }, {}).prometheus.server,
    ).toBe(true);
  });
});
