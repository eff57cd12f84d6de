/**
 * Through the app's MeterProvider, `@opentelemetry/exporter-prometheus` serves exactly the
 * contract: the same family names, label names and values as our embedded exposition — plus the
 * `otel_scope_*` labels and the `target_info` family the exporter adds.
 */
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';
import { recordWorkload } from './workload.js';

/** Sample lines without the exporter's scope labels, sorted; HELP/TYPE and target_info dropped. */
function sampleLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('target_info'))
    .map((l) => l.replace(/,?otel_scope_(name|version|schema_url)="[^"]*"/g, '').replace('{}', ''))
    .sort();
}

/** Drop every `_bucket`/`_sum`/`_count` line of histogram series whose `_count` is 0. */
function withoutEmptyHistograms(lines: string[]): string[] {
  const empty = new Set(
    lines.filter((l) => /_count\{.*\} 0$/.test(l)).map((l) => l.replace(/_count\{(.*)\} 0$/, '|$1')),
  );
  const key = (l: string) => l.replace(/_(bucket|sum|count)\{(.*?)(,le="[^"]*")?\} .*$/, '|$2');
  return lines.filter((l) => !/_(bucket|sum|count)\{/.test(l) || !empty.has(key(l)));
}

let telemetry: LLMTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

describe('through the app MeterProvider and exporter-prometheus', () => {
  it('serves the same families, labels and values as the embedded /metrics', async () => {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout' }),
      readers: [exporter],
    });
    telemetry = makeTelemetry({
      prices: ACME_PRICES,
      budgets: [{ name: 'team-daily', limitUsd: 25, window: '1d' }],
      meterProvider: provider,
    });
    recordWorkload(telemetry);
    const { resourceMetrics } = await exporter.collect();
    const served = new PrometheusSerializer().serialize(resourceMetrics);
    expect(served).toContain('target_info{service_name="checkout"');
    expect(served).toContain('otel_scope_name="llm-cost-otel"');
    // An API histogram has no series until its first value, so the embedded page's histogram
    // series still at count 0 (the pre-created outcomes) are the one expected difference.
    expect(sampleLines(served)).toEqual(withoutEmptyHistograms(sampleLines(telemetry.metrics())));
    await provider.shutdown();
  });

  it('opens no port of its own when a MeterProvider takes the metrics', async () => {
    const provider = new MeterProvider({ readers: [new PrometheusExporter({ preventServerStart: true })] });
    telemetry = makeTelemetry({ meterProvider: provider, prometheus: { server: 'auto', port: 0 } });
    expect(await telemetry.metricsUrl()).toBeUndefined();
    await provider.shutdown();
  });
});
