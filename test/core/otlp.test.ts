import { createServer } from 'node:http';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { OTEL_NAMES } from '../../src/metrics/names.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

describe('OTLP: our series as an OTel MetricProducer', () => {
  it("the app's own MeterProvider exports them with brace units and semconv attribute keys", async () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    t.record({
      provider: 'acme',
      model: 'acme-1',
      agent: 'planner',
      operation: 'plan',
      usage: { inputTokens: 1000, outputTokens: 500 },
      durationMs: 250,
    });
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: 60_000,
      metricProducers: [t.metricProducer],
    });
    const provider = new MeterProvider({ readers: [reader] });
    await reader.forceFlush();
    const metrics = exporter
      .getMetrics()[0]!
      .scopeMetrics.find((s) => s.scope.name === 'llm-cost-otel')!.metrics;
    const cost = metrics.find((m) => m.descriptor.name === OTEL_NAMES.costUsd.name)!;
    expect(cost.descriptor.unit).toBe('{USD}');
    expect(cost.dataPointType).toBe(DataPointType.SUM);
    const output = cost.dataPoints.find((p) => p.attributes['llm.token.type'] === 'output')!;
    expect(output.attributes).toEqual({
      'gen_ai.provider.name': 'acme',
      'gen_ai.request.model': 'acme-1',
      'gen_ai.agent.name': 'planner',
      'gen_ai.operation.name': 'chat',
      'llm.operation.name': 'plan',
      'llm.token.type': 'output',
    });
    expect(output.value).toBeCloseTo(0.002, 12);
    const duration = metrics.find((m) => m.descriptor.name === OTEL_NAMES.requestDurationSeconds.name)!;
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration.dataPoints.find((p) => p.attributes['llm.outcome'] === 'success')!.value).toMatchObject({
      sum: 0.25,
      count: 1,
    });
    await provider.shutdown();
  });

  it('otlp option exports over OTLP/HTTP to a collector endpoint', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        bodies.push(`${req.url} ${req.headers['content-type']} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const t = makeTelemetry({
      prices: ACME_PRICES,
      otlp: { url: `http://127.0.0.1:${port}/v1/metrics`, intervalMs: 100_000 },
    });
    try {
      t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 1000, outputTokens: 0 } });
      await t.shutdown(); // flushes
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies[0]).toMatch(/^\/v1\/metrics /);
      expect(bodies.join('\n')).toContain('llm.cost.usd');
    } finally {
      server.close();
    }
  });
});
