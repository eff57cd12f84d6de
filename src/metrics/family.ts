/**
 * A metric family: name, help, labels, and its series, capped. The cap counts distinct values of
 * the capped labels — bounded labels (token type, outcome, reason) do not count — so every family
 * keyed by the same attribution (provider, model, agent, operations) fills up at the same row.
 * Past the cap every new combination lands in one overflow series (capped labels =
 * `__overflow__`), so totals stay right while memory stays bounded; each record that lands there
 * is counted once in `llm_series_overflow_total{metric}`.
 */
import { logger } from '../diag.js';
import { OVERFLOW_VALUE } from './names.js';
import {
  CounterSeries,
  type FamilyType,
  GaugeSeries,
  HistogramSeries,
  renderLabels,
  type SeriesOf,
} from './series.js';

export interface FamilyOptions<T extends FamilyType> {
  /** Prometheus exposition name (counters end in `_total`). */
  name: string;
  /** OTel instrument name and unit, for OTLP export. */
  instrument: { name: string; unit: string };
  help: string;
  type: T;
  labelNames: readonly string[];
  /** Label names kept as they are in the overflow series (bounded, e.g. token type). */
  uncappedLabels?: readonly string[];
  buckets?: readonly number[];
  maxSeries: number;
  /** Called once per lookup that lands in the overflow series, with the family name. */
  onOverflow?: (family: string) => void;
  /** Skip the one-time diag warning when the cap is first reached (aggregating copies). Default false. */
  quiet?: boolean;
}

export class MetricFamily<T extends FamilyType = FamilyType> {
  readonly name: string;
  readonly instrument: { name: string; unit: string };
  readonly help: string;
  readonly type: T;
  readonly labelNames: readonly string[];
  readonly buckets: readonly number[];
  readonly series = new Map<string, SeriesOf<T>>();
  /** Renders the `le` label text once per bound. */
  readonly bucketLabels: readonly string[];
  /** Label names the overflow series keeps as they are. */
  readonly uncappedLabels: readonly string[];
  readonly maxSeries: number;
  private warned: boolean;
  private readonly keepInOverflow: readonly boolean[];
  private readonly onOverflow?: (family: string) => void;
  /** Distinct capped-label tuples (only kept when some labels are uncapped; else = series). */
  private readonly tuples?: Set<string>;
  private readonly overflowSeries = new Set<object>();

  constructor(options: FamilyOptions<T>) {
    this.name = options.name;
    this.instrument = options.instrument;
    this.help = options.help;
    this.type = options.type;
    this.labelNames = options.labelNames;
    this.buckets = options.buckets ?? [];
    this.bucketLabels = this.buckets.map((b) => formatBound(b));
    this.maxSeries = options.maxSeries;
    this.uncappedLabels = options.uncappedLabels ?? [];
    this.warned = options.quiet === true;
    const keep = new Set(this.uncappedLabels);
    this.keepInOverflow = this.labelNames.map((n) => keep.has(n));
    this.onOverflow = options.onOverflow;
    if (this.uncappedLabels.length > 0) this.tuples = new Set();
  }

  /** The series for these label values (the key is built here, the one place keys are built). */
  at(values: readonly string[]): SeriesOf<T> {
    return this.get(seriesKey(values), values);
  }

  /** Whether `values` fit under the cap (an existing combination always does). */
  hasRoom(values: readonly string[]): boolean {
    if (this.tuples === undefined) {
      return (
        this.series.has(seriesKey(values)) || this.series.size - this.overflowSeries.size < this.maxSeries
      );
    }
    return this.tuples.has(this.tupleOf(values)) || this.tuples.size < this.maxSeries;
  }

  /** True for the series `get` hands out once the cap is reached. */
  isOverflow(series: object): boolean {
    return this.overflowSeries.has(series);
  }

  /** The capped labels' values as one flat key (joined: a `+=` chain would be kept as cons strings). */
  private tupleOf(values: readonly string[]): string {
    const capped: string[] = [];
    for (let i = 0; i < values.length; i++) if (!this.keepInOverflow[i]) capped.push(values[i] as string);
    return capped.join('\u0000');
  }

  /**
   * The series for these label values; `key` must identify the values uniquely (callers build it
   * once per record and reuse it across families).
   */
  get(key: string, values: readonly string[]): SeriesOf<T> {
    const found = this.series.get(key);
    if (found !== undefined) return found;
    if (!this.hasRoom(values)) return this.overflow(values);
    const created = this.create(values);
    this.series.set(key, created);
    this.tuples?.add(this.tupleOf(values));
    return created;
  }

  /** The overflow series for these values' bounded labels, without counting a record. */
  overflowAt(values: readonly string[]): SeriesOf<T> {
    return this.overflow(values, false);
  }

  private overflow(values: readonly string[], count = true): SeriesOf<T> {
    if (count) this.onOverflow?.(this.name);
    if (!this.warned) this.warnOverflow();
    const overflowValues = values.map((v, i) => (this.keepInOverflow[i] ? v : OVERFLOW_VALUE));
    // Prefixed: a real label value of "__overflow__" must not share the overflow series.
    const key = `\u0001overflow\u0000${seriesKey(overflowValues)}`;
    let series = this.series.get(key);
    if (series === undefined) {
      // The overflow series may exceed the cap by the few uncapped-label combinations.
      series = this.create(overflowValues);
      this.series.set(key, series);
      this.overflowSeries.add(series);
    }
    return series;
  }

  /** Once per family: name the metric and the label whose values fill it (the usual culprit). */
  private warnOverflow(): void {
    this.warned = true;
    const distinct = this.labelNames.map(() => new Set<string>());
    for (const series of this.series.values()) {
      series.labelValues.forEach((v, i) => {
        if (!this.keepInOverflow[i]) distinct[i]!.add(v);
      });
    }
    let worst = -1;
    distinct.forEach((set, i) => {
      if (worst < 0 || set.size > distinct[worst]!.size) worst = i;
    });
    const label =
      worst >= 0 ? ` Label ${this.labelNames[worst]} has ${distinct[worst]!.size} distinct values.` : '';
    logger.warn(
      `metric ${this.name} reached its cap of ${this.maxSeries} series.${label} Further label combinations are counted in one series labelled "${OVERFLOW_VALUE}" (and in llm_series_overflow_total{metric="${this.name}"}); keep ids, emails and free text out of labels, or raise maxSeries.`,
    );
  }

  /**
   * A histogram family mirrored into an OpenTelemetry Meter hands each series this hook; series
   * created later get it too. `undefined` stops mirroring.
   */
  mirror(hook: ((series: HistogramSeries) => void) | undefined): void {
    this.mirrorHook = hook;
    if (this.type !== 'histogram') return;
    for (const s of this.series.values()) attachMirror(s as HistogramSeries, hook);
  }

  private mirrorHook: ((series: HistogramSeries) => void) | undefined;

  private create(values: readonly string[]): SeriesOf<T> {
    const frozen = values.slice();
    const text = renderLabels(this.labelNames, frozen);
    if (this.type === 'counter') return new CounterSeries(frozen, text) as SeriesOf<T>;
    if (this.type === 'gauge') return new GaugeSeries(frozen, text) as SeriesOf<T>;
    const series = new HistogramSeries(frozen, text, this.buckets);
    if (this.mirrorHook !== undefined) attachMirror(series, this.mirrorHook);
    return series as SeriesOf<T>;
  }
}

/** The one way a series is keyed: its label values, joined by NUL (which no value can hold unescaped). */
export function seriesKey(values: readonly string[]): string {
  return values.join('\u0000');
}

/** Prometheus renders bounds as Go's strconv does: `0.1`, `1`, `1e-06`; we keep JS's shortest form. */
export function formatBound(bound: number): string {
  return formatValue(bound);
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function attachMirror(series: HistogramSeries, hook: ((series: HistogramSeries) => void) | undefined): void {
  series.pending = hook === undefined ? undefined : (series.pending ?? []);
  series.onPendingFull = hook;
}
