/** What an OTLP exporter would receive from our metric producer, collected in memory. */
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  type MetricProducer,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

/** One cumulative collection of `producer` through a MeterProvider: the `llm-cost-otel` scope's metrics. */
export async function collectOtlpMetrics(producer: MetricProducer): Promise<MetricData[]> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: 60_000,
    metricProducers: [producer],
  });
  const provider = new MeterProvider({ readers: [reader] });
  try {
    await reader.forceFlush();
    return exporter.getMetrics()[0]!.scopeMetrics.find((s) => s.scope.name === 'llm-cost-otel')!.metrics;
  } finally {
    await provider.shutdown();
  }
}
