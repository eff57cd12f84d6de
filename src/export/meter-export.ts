/**
 * Our families as instruments on an OpenTelemetry `Meter` of the app's MeterProvider, so the
 * app's readers (PrometheusExporter, OTLP), views, cardinality limits, resource and temporality
 * apply to them.
 *
 * The store stays the one place figures accumulate (it is ~30× cheaper per call than the SDK's
 * attribute hashing, see docs/performance.md):
 * - counters are API counters fed, at collection time, with what each series grew since the last
 *   collection — nothing on the hot path. Not observable counters: the SDK keys an observable's
 *   values by the View-filtered attributes with last-one-wins (AsyncMetricStorage.record), so a
 *   View dropping e.g. `gen_ai.agent.name` would lose all agents but one; adds sum as Views expect;
 * - gauges are observable gauges read from the store by the same batch callback;
 * - histograms are API histograms with the contract's buckets as advice. The hot path only
 *   pushes the value onto its series; the batch callback records the pending values before the
 *   SDK collects its synchronous instruments (it runs the callbacks first in the same collection),
 *   and a series whose queue fills flushes at once, so memory stays bounded.
 */
import {
  type Attributes,
  type BatchObservableCallback,
  type Counter,
  type Histogram,
  type Meter,
  type Observable,
  type ObservableGauge,
  ValueType,
} from '@opentelemetry/api';
import { notice } from '../diag.js';
import type { MetricFamily } from '../metrics/family.js';
import { OTEL_ATTRIBUTE } from '../metrics/names.js';
import type { CounterSeries, GaugeSeries, HistogramSeries } from '../metrics/series.js';
import { errorMessage } from '../util/error-message.js';

/** True for the API's no-op Meter (no MeterProvider registered): attaching to it would drop everything. */
export function isNoopMeter(meter: Meter | undefined): boolean {
  return meter === undefined || meter.constructor?.name === 'NoopMeter';
}

interface Mirrored {
  family: MetricFamily;
  instrument: Counter | ObservableGauge | Histogram;
}

export class MeterExport {
  private readonly mirrored: Mirrored[] = [];
  private readonly observables: Observable[] = [];
  private readonly attributes = new WeakMap<object, Attributes>();
  /** Each counter series' value as last added to its API counter. */
  private readonly reported = new WeakMap<CounterSeries, number>();
  private readonly callback: BatchObservableCallback;
  private detached = false;

  constructor(
    private readonly meter: Meter,
    families: readonly MetricFamily[],
  ) {
    for (const family of families) {
      const options = {
        description: family.help,
        unit: family.instrument.unit,
        valueType: ValueType.DOUBLE,
      };
      const name = family.instrument.name;
      if (family.type === 'histogram') {
        const histogram = meter.createHistogram(name, {
          ...options,
          advice: { explicitBucketBoundaries: [...family.buckets] },
        });
        this.mirrored.push({ family, instrument: histogram });
        family.mirror((series) => this.flush(series, histogram, family));
      } else if (family.type === 'counter') {
        this.mirrored.push({ family, instrument: meter.createCounter(name, options) });
      } else {
        const observable = meter.createObservableGauge(name, options);
        this.mirrored.push({ family, instrument: observable });
        this.observables.push(observable);
      }
    }
    this.callback = (result) => {
      if (this.detached) return;
      try {
        for (const { family, instrument } of this.mirrored) {
          if (family.type === 'histogram') {
            for (const s of family.series.values()) {
              this.flush(s as HistogramSeries, instrument as Histogram, family);
            }
          } else if (family.type === 'counter') {
            for (const s of family.series.values())
              this.addGrowth(s as CounterSeries, instrument as Counter, family);
          } else {
            const observable = instrument as ObservableGauge;
            for (const s of family.series.values()) {
              const g = s as GaugeSeries;
              result.observe(observable, g.value, this.attributesOf(family, g));
            }
          }
        }
      } catch (error) {
        notice(
          'meter-export-read-failed',
          `reading LLM metrics for the MeterProvider failed: ${errorMessage(error)}; that collection carries none`,
        );
      }
    };
    meter.addBatchObservableCallback(this.callback, this.observables);
  }

  /** Stop reporting into this Meter (its instruments stay registered, but report nothing more). */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.meter.removeBatchObservableCallback(this.callback, this.observables);
    for (const { family } of this.mirrored) if (family.type === 'histogram') family.mirror(undefined);
  }

  /** Counters never decrease: add what the series grew since the last collection, if anything. */
  private addGrowth(series: CounterSeries, counter: Counter, family: MetricFamily): void {
    const value = series.value;
    const last = this.reported.get(series);
    const growth = value - (last ?? 0);
    // A series' first collection adds even 0: series known up front must exist at 0 (so
    // increase() sees their first event) through the MeterProvider as on our own /metrics.
    if (!(growth > 0) && last !== undefined) return;
    counter.add(Math.max(growth, 0), this.attributesOf(family, series));
    this.reported.set(series, growth > 0 ? value : (last ?? 0));
  }

  private flush(series: HistogramSeries, histogram: Histogram, family: MetricFamily): void {
    const pending = series.pending;
    if (pending === undefined || pending.length === 0) return;
    const attributes = this.attributesOf(family, series);
    for (let i = 0; i < pending.length; i++) histogram.record(pending[i]!, attributes);
    pending.length = 0;
  }

  /** Dotted semconv keys (`gen_ai.request.model`), built once per series. */
  private attributesOf(family: MetricFamily, series: { labelValues: readonly string[] }): Attributes {
    let attributes = this.attributes.get(series);
    if (attributes === undefined) {
      attributes = {};
      const names = family.labelNames;
      for (let i = 0; i < names.length; i++) {
        attributes[OTEL_ATTRIBUTE[names[i]!] ?? names[i]!] = series.labelValues[i] ?? '';
      }
      this.attributes.set(series, attributes);
    }
    return attributes;
  }
}
