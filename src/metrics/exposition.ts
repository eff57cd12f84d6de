/**
 * Pure serialization of metric families to the Prometheus text format 0.0.4. Label text is
 * rendered once per series when it is created, so a scrape is string concatenation.
 */
import type { MetricFamily } from './family.js';
import { formatValue } from './family.js';
import type { CounterSeries, GaugeSeries, HistogramSeries } from './series.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function serializeFamily(family: MetricFamily): string {
  const name = family.name;
  let out = `# HELP ${name} ${escapeHelp(family.help)}\n# TYPE ${name} ${family.type}\n`;
  if (family.type !== 'histogram') {
    for (const series of family.series.values()) {
      const s = series as CounterSeries | GaugeSeries;
      out +=
        s.labelText === ''
          ? `${name} ${formatValue(s.value)}\n`
          : `${name}{${s.labelText}} ${formatValue(s.value)}\n`;
    }
    return out;
  }
  const bucketName = `${name}_bucket`;
  const bucketLabels = family.bucketLabels;
  for (const series of family.series.values()) {
    const h = series as HistogramSeries;
    const prefix = h.labelText === '' ? '' : `${h.labelText},`;
    let cumulative = 0;
    for (let i = 0; i < bucketLabels.length; i++) {
      cumulative += h.counts[i] as number;
      out += `${bucketName}{${prefix}le="${bucketLabels[i]}"} ${cumulative}\n`;
    }
    out += `${bucketName}{${prefix}le="+Inf"} ${h.count}\n`;
    out += `${name}_sum{${h.labelText}} ${formatValue(h.sum)}\n`;
    out += `${name}_count{${h.labelText}} ${h.count}\n`;
  }
  return out;
}

export function serialize(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) out += serializeFamily(family);
  return out;
}
