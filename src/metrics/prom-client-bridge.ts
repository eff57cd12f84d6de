/**
 * Our families as prom-client metric objects, registered in the app's own Registry so it keeps one
 * `/metrics`: each family is one registry entry (one HELP/TYPE), read at scrape time. The
 * aggregators make prom-client's cluster `AggregatorRegistry` sum workers correctly.
 */
import type { PromClientRegistryLike } from '../config/options.js';
import { logger } from '../diag.js';
import type { MetricFamily } from './family.js';
import type { CounterSeries, GaugeSeries, HistogramSeries } from './series.js';

interface PromValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

function labelsOf(family: MetricFamily, values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  family.labelNames.forEach((name, i) => {
    labels[name] = values[i] ?? '';
  });
  return labels;
}

export function valuesOf(family: MetricFamily): PromValue[] {
  const out: PromValue[] = [];
  if (family.type !== 'histogram') {
    for (const s of family.series.values()) {
      const c = s as CounterSeries | GaugeSeries;
      out.push({ labels: labelsOf(family, c.labelValues), value: c.value });
    }
    return out;
  }
  for (const s of family.series.values()) {
    const h = s as HistogramSeries;
    const labels = labelsOf(family, h.labelValues);
    let cumulative = 0;
    family.buckets.forEach((bound, i) => {
      cumulative += h.counts[i]!;
      out.push({ labels: { ...labels, le: bound }, value: cumulative, metricName: `${family.name}_bucket` });
    });
    out.push({ labels: { ...labels, le: '+Inf' }, value: h.count, metricName: `${family.name}_bucket` });
    out.push({ labels, value: h.sum, metricName: `${family.name}_sum` });
    out.push({ labels, value: h.count, metricName: `${family.name}_count` });
  }
  return out;
}

/** Register every family; returns a function that unregisters them. */
export function registerInPromClient(
  registry: PromClientRegistryLike,
  families: readonly MetricFamily[],
): () => void {
  const registered: string[] = [];
  for (const family of families) {
    if (registry.getSingleMetric(family.name)) {
      logger.warn(`prom-client registry already has a metric named ${family.name}; ours is not added there`);
      continue;
    }
    registry.registerMetric({
      name: family.name,
      help: family.help,
      type: family.type,
      aggregator: family.type === 'gauge' ? 'max' : 'sum',
      get: () => ({
        name: family.name,
        help: family.help,
        type: family.type,
        values: valuesOf(family),
        aggregator: family.type === 'gauge' ? 'max' : 'sum',
      }),
      reset: () => {},
    });
    registered.push(family.name);
  }
  return () => {
    for (const name of registered) registry.removeSingleMetric(name);
  };
}
