/**
 * The in-process metric store: plain numbers in preallocated series, so the hot path is a Map
 * lookup and a few additions. Exposition (Prometheus text, prom-client, OTel MetricProducer) reads
 * these at scrape time.
 */

/**
 * What `sum + value` lost to rounding, given `total` = their floating-point sum (Neumaier): added
 * up in a compensation term, it keeps a long sum of tiny costs exact to the last digit.
 */
export function roundingError(sum: number, value: number, total: number): number {
  return Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum;
}

/**
 * A monotonic sum with Neumaier compensation: a million 3e-7 additions read back as 0.3.
 * An addition whose result would not be finite (absurd values near 1.8e308) is dropped: once a
 * sum is Infinity its compensation turns NaN and the series is lost for good.
 */
export class CounterSeries {
  private sum = 0;
  private compensation = 0;
  constructor(
    readonly labelValues: readonly string[],
    readonly labelText: string,
  ) {}

  add(value: number): void {
    const t = this.sum + value;
    if (!Number.isFinite(t)) return;
    this.compensation += roundingError(this.sum, value, t);
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

/** A gauge: set, not summed. */
export class GaugeSeries {
  value = 0;
  constructor(
    readonly labelValues: readonly string[],
    readonly labelText: string,
  ) {}
}

/** Observations a mirrored histogram series holds between two collections before flushing early. */
const MAX_PENDING = 1024;

/** Fixed-bucket histogram; `counts[i]` is the non-cumulative count of bucket i (last = +Inf). */
export class HistogramSeries {
  readonly counts: Float64Array;
  private sumValue = 0;
  private sumCompensation = 0;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /**
   * Set while the family is mirrored into an OpenTelemetry Meter: observations wait here and are
   * recorded into the API histogram at collection time (see `export/meter-export.ts`), so the hot
   * path pays one array push instead of the SDK's attribute hashing.
   */
  pending: number[] | undefined = undefined;

  constructor(
    readonly labelValues: readonly string[],
    readonly labelText: string,
    readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const t = this.sumValue + value;
    // As for counters: a non-finite value or sum would poison the series for good.
    if (!Number.isFinite(t)) return;
    const bounds = this.bounds;
    // Binary search for the first bound >= value (Prometheus `le` is inclusive).
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (value <= (bounds[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    this.counts[lo]! += 1;
    this.count += 1;
    this.sumCompensation += roundingError(this.sumValue, value, t);
    this.sumValue = t;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const pending = this.pending;
    if (pending !== undefined) {
      pending.push(value);
      if (pending.length >= MAX_PENDING) this.onPendingFull?.(this);
    }
  }

  /** Called when `pending` is full (the mirror flushes it at once, so memory stays bounded). */
  onPendingFull: ((series: HistogramSeries) => void) | undefined = undefined;

  get sum(): number {
    return this.sumValue + this.sumCompensation;
  }

  /** Add another histogram's figures (same bounds): how a cluster primary sums its workers. */
  merge(counts: ArrayLike<number>, sum: number, count: number, min: number, max: number): void {
    if (!Number.isFinite(this.sumValue + sum)) return;
    const n = Math.min(counts.length, this.counts.length);
    for (let i = 0; i < n; i++) this.counts[i]! += counts[i] as number;
    this.count += count;
    const t = this.sumValue + sum;
    this.sumCompensation += roundingError(this.sumValue, sum, t);
    this.sumValue = t;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
  }
}

export type SeriesOf<T extends FamilyType> = T extends 'counter'
  ? CounterSeries
  : T extends 'gauge'
    ? GaugeSeries
    : HistogramSeries;

export type FamilyType = 'counter' | 'gauge' | 'histogram';

/** Escape a label value for the Prometheus text format. */
export function escapeLabelValue(value: string): string {
  // Fast path: most values need no escaping.
  if (!/[\\"\n]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * `name="value",…` as one flat string. Built with `join`, not `+=`: concatenation leaves a tree of
 * cons strings (five per label) that a long-lived series would keep — most of its memory.
 */
export function renderLabels(names: readonly string[], values: readonly string[]): string {
  const parts = new Array<string>(names.length);
  for (let i = 0; i < names.length; i++) parts[i] = `${names[i]}="${escapeLabelValue(values[i] ?? '')}"`;
  return parts.join(',');
}
