/**
 * Optional OTLP/HTTP metrics export to an OpenTelemetry Collector, fed by our MetricProducer so
 * the figures are the same ones `/metrics` shows.
 *
 * The exporter (and the OTLP transformer it pulls in) is the heaviest dependency we have and most
 * apps never turn OTLP on, so it is imported when OTLP is enabled, not when the library loads.
 * Nothing is lost in the meantime: the producer reads the store at each collection, and a
 * shutdown awaits the start before flushing.
 */
import type { MeterProvider, MetricProducer } from '@opentelemetry/sdk-metrics';

export async function startOtlpExport(
  options: { url: string; headers: Record<string, string>; intervalMs: number },
  producer: MetricProducer,
  serviceName: string,
): Promise<MeterProvider> {
  // Not even the import starts inside register(): on Node 22+ resolving a package for import()
  // can run on the calling thread, and register() should not pay for a part it does not wait for.
  await new Promise((resolve) => setImmediate(resolve));
  const [
    { OTLPMetricExporter },
    { resourceFromAttributes },
    { MeterProvider, PeriodicExportingMetricReader },
  ] = await Promise.all([
    import('@opentelemetry/exporter-metrics-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-metrics'),
  ]);
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
