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

/** `# HELP` and `# TYPE` lines of a family. */
export function familyHeader(family: MetricFamily): string {
  return `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
}

/** The sample lines of one series (a histogram series renders all its lines at once, consistently). */
export function serializeSeries(
  family: MetricFamily,
  series: CounterSeries | GaugeSeries | HistogramSeries,
): string {
  const name = family.name;
  if (family.type !== 'histogram') {
    const s = series as CounterSeries | GaugeSeries;
    return s.labelText === ''
      ? `${name} ${formatValue(s.value)}\n`
      : `${name}{${s.labelText}} ${formatValue(s.value)}\n`;
  }
  const bucketName = `${name}_bucket`;
  const bucketLabels = family.bucketLabels;
  const h = series as HistogramSeries;
  const prefix = h.labelText === '' ? '' : `${h.labelText},`;
  let out = '';
  let cumulative = 0;
  for (let i = 0; i < bucketLabels.length; i++) {
    cumulative += h.counts[i] as number;
    out += `${bucketName}{${prefix}le="${bucketLabels[i]}"} ${cumulative}\n`;
  }
  out += `${bucketName}{${prefix}le="+Inf"} ${h.count}\n`;
  out += `${name}_sum{${h.labelText}} ${formatValue(h.sum)}\n`;
  out += `${name}_count{${h.labelText}} ${h.count}\n`;
  return out;
}

export function serializeFamily(family: MetricFamily): string {
  let out = familyHeader(family);
  for (const series of family.series.values()) out += serializeSeries(family, series);
  return out;
}

export function serialize(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) out += serializeFamily(family);
  return out;
}
