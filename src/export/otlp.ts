/**
 * Optional OTLP/HTTP metrics export to an OpenTelemetry Collector, fed by our MetricProducer so
 * the figures are the same ones `/metrics` shows.
 */
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  type MetricProducer,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

export function startOtlpExport(
  options: { url: string; headers: Record<string, string>; intervalMs: number },
  producer: MetricProducer,
  serviceName: string,
): MeterProvider {
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: options.url, headers: options.headers }),
    exportIntervalMillis: options.intervalMs,
    exportTimeoutMillis: Math.min(30_000, options.intervalMs),
    metricProducers: [producer],
  });
  return new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    readers: [reader],
  });
}
