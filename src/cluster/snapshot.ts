/**
 * Metric families as plain data (for IPC) and back: a worker snapshots its families, the primary
 * merges snapshots into fresh families and serializes them with the one exposition code path.
 * Counters and histograms add up; gauges (budget limits, configuration) take the maximum.
 */
import { MetricFamily } from '../metrics/family.js';
import type { CounterSeries, GaugeSeries, HistogramSeries } from '../metrics/series.js';
import type { FamilySnapshot, HistogramSnapshot, ScalarSnapshot } from './protocol.js';

export function snapshotFamilies(families: readonly MetricFamily[]): FamilySnapshot[] {
  return families.map((family) => {
    const series: Array<ScalarSnapshot | HistogramSnapshot> = [];
    for (const s of family.series.values()) {
      if (family.type === 'histogram') {
        const h = s as HistogramSeries;
        series.push({
          labels: h.labelValues as string[],
          counts: Array.from(h.counts),
          sum: h.sum,
          count: h.count,
          min: h.count > 0 ? h.min : null,
          max: h.count > 0 ? h.max : null,
        });
      } else {
        const c = s as CounterSeries | GaugeSeries;
        series.push({ labels: c.labelValues as string[], value: c.value });
      }
    }
    return {
      name: family.name,
      help: family.help,
      type: family.type,
      instrument: family.instrument,
      labelNames: [...family.labelNames],
      uncappedLabels: [...family.uncappedLabels],
      buckets: [...family.buckets],
      series,
    };
  });
}

/**
 * Sums snapshots family by family, in the order families are first seen, capped at `maxSeries`
 * per family like any of our families (overflow counted through `onOverflow`).
 */
export class FamilyMerger {
  private readonly families = new Map<string, MetricFamily>();
  private readonly gaugesSet = new WeakSet<GaugeSeries>();

  constructor(
    private readonly maxSeries: number,
    private readonly onOverflow?: (family: string) => void,
  ) {}

  merge(snapshots: readonly FamilySnapshot[]): void {
    for (const snapshot of snapshots) {
      const family = this.familyFor(snapshot);
      if (family === undefined) continue;
      for (const s of snapshot.series) {
        if (!Array.isArray(s.labels) || s.labels.length !== family.labelNames.length) continue;
        const series = family.get(s.labels.join('\u0000'), s.labels);
        if (family.type === 'histogram') {
          const h = s as HistogramSnapshot;
          if (!Array.isArray(h.counts) || !finite(h.sum) || !finite(h.count)) continue;
          (series as HistogramSeries).merge(
            h.counts,
            h.sum,
            h.count,
            h.min ?? Number.POSITIVE_INFINITY,
            h.max ?? Number.NEGATIVE_INFINITY,
          );
        } else {
          const value = (s as ScalarSnapshot).value;
          if (!finite(value)) continue;
          if (family.type === 'counter') (series as CounterSeries).add(value);
          else {
            const g = series as GaugeSeries;
            g.value = this.gaugesSet.has(g) ? Math.max(g.value, value) : value;
            this.gaugesSet.add(g);
          }
        }
      }
    }
  }

  result(): MetricFamily[] {
    return [...this.families.values()];
  }

  private familyFor(snapshot: FamilySnapshot): MetricFamily | undefined {
    const found = this.families.get(snapshot.name);
    if (found !== undefined) {
      // Workers of one app share a library version; a family whose shape differs is skipped.
      return found.type === snapshot.type && found.labelNames.length === snapshot.labelNames.length
        ? found
        : undefined;
    }
    const family = new MetricFamily({
      name: snapshot.name,
      instrument: snapshot.instrument,
      help: snapshot.help,
      type: snapshot.type,
      labelNames: snapshot.labelNames,
      uncappedLabels: snapshot.uncappedLabels,
      buckets: snapshot.buckets,
      maxSeries: this.maxSeries,
      onOverflow: this.onOverflow,
      quiet: true,
    });
    this.families.set(snapshot.name, family);
    return family;
  }
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
