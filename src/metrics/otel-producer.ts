/**
 * Our series as an OTel `MetricProducer`: hand it to any MetricReader (OTLP periodic reader, the
 * app's own readers) and the same figures leave as OTLP, named by the instrument names that a
 * Collector's Prometheus exporter turns back into the contract's names.
 */
import { ValueType } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { VERSION } from '../version.js';
import type { MetricFamily } from './family.js';
import { OTEL_ATTRIBUTE } from './names.js';
import type { CounterSeries, GaugeSeries, HistogramSeries } from './series.js';

export const INSTRUMENTATION_SCOPE = { name: 'llm-cost-otel', version: VERSION };

export function createMetricProducer(
  families: () => readonly MetricFamily[],
  serviceName: string,
): MetricProducer {
  const startTime = hrTime();
  const resource = resourceFromAttributes({ 'service.name': serviceName });
  return {
    async collect(): Promise<CollectionResult> {
      const endTime = hrTime();
      const metrics: MetricData[] = [];
      for (const family of families()) {
        const keys = family.labelNames.map((n) => OTEL_ATTRIBUTE[n] ?? n);
        const attributesOf = (values: readonly string[]) => {
          const attributes: Record<string, string> = {};
          for (let i = 0; i < keys.length; i++) attributes[keys[i]!] = values[i] ?? '';
          return attributes;
        };
        const descriptor = {
          name: family.instrument.name,
          description: family.help,
          unit: family.instrument.unit,
          valueType: ValueType.DOUBLE,
        };
        if (family.type === 'histogram') {
          metrics.push({
            descriptor,
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPointType: DataPointType.HISTOGRAM,
            dataPoints: [...family.series.values()].map((s) => {
              const h = s as HistogramSeries;
              return {
                startTime,
                endTime,
                attributes: attributesOf(h.labelValues),
                value: {
                  buckets: { boundaries: [...family.buckets], counts: Array.from(h.counts) },
                  sum: h.sum,
                  count: h.count,
                  min: h.count > 0 ? h.min : undefined,
                  max: h.count > 0 ? h.max : undefined,
                },
              };
            }),
          });
        } else {
          const points = [...family.series.values()].map((s) => {
            const c = s as CounterSeries | GaugeSeries;
            return { startTime, endTime, attributes: attributesOf(c.labelValues), value: c.value };
          });
          if (family.type === 'counter') {
            metrics.push({
              descriptor,
              aggregationTemporality: AggregationTemporality.CUMULATIVE,
              dataPointType: DataPointType.SUM,
              isMonotonic: true,
              dataPoints: points,
            });
          } else {
            metrics.push({
              descriptor,
              aggregationTemporality: AggregationTemporality.CUMULATIVE,
              dataPointType: DataPointType.GAUGE,
              dataPoints: points,
            });
          }
        }
      }
      return {
        resourceMetrics: { resource, scopeMetrics: [{ scope: INSTRUMENTATION_SCOPE, metrics }] },
        errors: [],
      };
    },
  };
}
