/**
 * What a cluster primary serves: the sum of its live workers' latest figures and the final
 * figures of workers that exited — never below what it served before.
 *
 * The sum is taken in a different order once a worker exits (its figures move into the retired
 * total), and floating-point addition is not associative: with non-integer costs the new sum can
 * come out one ulp below the last one served. Prometheus reads any decrease as a counter reset and
 * `increase()` then counts the whole value again (a budget at 61 % reads 122 %). So every counter
 * and histogram sum is served as the larger of its new value and the last value served.
 */
import type { MetricFamily } from '../metrics/family.js';
import { CounterSeries, HistogramSeries } from '../metrics/series.js';
import type { FamilySnapshot } from './protocol.js';
import { FamilyMerger, snapshotFamilies } from './snapshot.js';

export class ClusterAggregate {
  /** Each live worker's latest figures, by worker id. */
  private readonly latest = new Map<number, FamilySnapshot[]>();
  /** Final figures of workers that exited: they stay in the sum. */
  private readonly retired: FamilyMerger;
  /** Last value served per counter series / histogram sum, by family name and series key. */
  private readonly served = new Map<string, Map<string, number>>();

  constructor(private readonly maxSeries: number) {
    this.retired = new FamilyMerger(maxSeries);
  }

  /** A worker's newest figures (a late answer too: it is still the newest). */
  update(workerId: number, families: FamilySnapshot[]): void {
    this.latest.set(workerId, families);
  }

  has(workerId: number): boolean {
    return this.latest.has(workerId);
  }

  /** A worker exited: its last figures join the retired total. */
  retire(workerId: number): void {
    const last = this.latest.get(workerId);
    this.latest.delete(workerId);
    if (last !== undefined) this.retired.merge(last);
  }

  /** Per family: worker series the last render merged into an overflow series (past `maxSeries`). */
  readonly mergedAway = new Map<string, number>();

  /** The figures to serve now, summing retired workers and the given live ones. */
  render(liveWorkerIds: Iterable<number>): MetricFamily[] {
    this.mergedAway.clear();
    const merger = new FamilyMerger(this.maxSeries, (family) =>
      this.mergedAway.set(family, (this.mergedAway.get(family) ?? 0) + 1),
    );
    merger.merge(snapshotFamilies(this.retired.result()));
    for (const id of liveWorkerIds) {
      const figures = this.latest.get(id);
      if (figures !== undefined) merger.merge(figures);
    }
    const families = merger.result();
    for (const family of families) this.holdMonotonic(family);
    return families;
  }

  private holdMonotonic(family: MetricFamily): void {
    if (family.type === 'gauge') return;
    let served = this.served.get(family.name);
    if (served === undefined) {
      served = new Map();
      this.served.set(family.name, served);
    }
    for (const [key, series] of family.series) {
      const last = served.get(key) ?? Number.NEGATIVE_INFINITY;
      // A fresh series holding exactly the last value (0 + last is exact) replaces a lower one.
      if (family.type === 'counter') {
        const counter = series as CounterSeries;
        if (counter.value < last) {
          const held = new CounterSeries(counter.labelValues, counter.labelText);
          held.add(last);
          (family.series as Map<string, CounterSeries>).set(key, held);
        } else served.set(key, counter.value);
      } else {
        const h = series as HistogramSeries;
        if (h.sum < last) {
          const held = new HistogramSeries(h.labelValues, h.labelText, h.bounds);
          held.merge(h.counts, last, h.count, h.min, h.max);
          (family.series as Map<string, HistogramSeries>).set(key, held);
        } else served.set(key, h.sum);
      }
    }
  }
}
