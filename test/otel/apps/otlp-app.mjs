// An app exporting its metrics over OTLP/HTTP (JSON) with its own PeriodicExportingMetricReader, its
// resource from OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, and LLMCostInstrumentation in NodeSDK.
import { metrics } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { LLMCostInstrumentation, withLLMContext } from 'llm-cost-otel';
import { anthropicMessage, main, openaiChat, ready } from './common.mjs';

main(async () => {
  const sdk = new NodeSDK({
    metricReaders: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: process.env.OTLP_URL }),
        exportIntervalMillis: 300,
      }),
    ],
    instrumentations: [new LLMCostInstrumentation()],
  });
  sdk.start();
  metrics.getMeter('otlp-app').createCounter('app_jobs').add(3);
  await withLLMContext({ agent: 'planner', operation: 'plan' }, () => openaiChat());
  await withLLMContext({ agent: 'coder', operation: 'code' }, () => anthropicMessage());
  await ready({}, () => sdk.shutdown());
});
