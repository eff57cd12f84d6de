/**
 * Every figure a report or a recommendation shows comes from one PromQL query it names. The book
 * numbers the queries, runs them at one evaluation time, and hands back figures that keep the
 * query id, the labels of their sample and Prometheus's own text of the value — so a reader (or
 * a test) can rerun the query and find the same number.
 */
import type { InstantQuerier, PromSample } from './workload.js';

export interface RangeSeries {
  metric: Record<string, string>;
  /** [unix seconds, value] */
  points: Array<[number, number]>;
}

/** A Prometheus source that can also run range queries (for charts). */
export interface PromSource extends InstantQuerier {
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<RangeSeries[]>;
}

export interface StatedQuery {
  id: number;
  expr: string;
  /** What the query answers, in words. */
  title: string;
  kind: 'instant' | 'range';
}

export interface Figure {
  /** Id of the query in the book. */
  q: number;
  /** Labels of the sample (empty for an aggregate over everything). */
  labels: Record<string, string>;
  /** The value as Prometheus wrote it; null when the query returned no sample for these labels. */
  text: string | null;
  value: number;
}

export class QueryBook {
  readonly queries: StatedQuery[] = [];
  constructor(
    readonly source: PromSource,
    /** Evaluation time of every instant query, unix seconds. */
    readonly at: number,
  ) {}

  #state(expr: string, title: string, kind: StatedQuery['kind']): number {
    const existing = this.queries.find((q) => q.expr === expr && q.kind === kind);
    if (existing) return existing.id;
    const id = this.queries.length + 1;
    this.queries.push({ id, expr, title, kind });
    return id;
  }

  async instant(expr: string, title: string): Promise<{ id: number; samples: PromSample[] }> {
    const id = this.#state(expr, title, 'instant');
    return { id, samples: await this.source.query(expr, this.at) };
  }

  async range(
    expr: string,
    title: string,
    start: number,
    stepSeconds: number,
  ): Promise<{ id: number; series: RangeSeries[] }> {
    const id = this.#state(expr, title, 'range');
    return { id, series: await this.source.queryRange(expr, start, this.at, stepSeconds) };
  }

  /** The single figure of an aggregate query (`sum(...)`): text null when it returned nothing. */
  async one(expr: string, title: string): Promise<Figure> {
    const { id, samples } = await this.instant(expr, title);
    return figureOf(id, samples[0]);
  }

  /** One figure per sample, labels as returned. */
  async each(expr: string, title: string): Promise<Figure[]> {
    return (await this.keyed(expr, title, [])).figures;
  }

  /**
   * Figures keyed by the values of `labels`, and a stand-in for a key the query did not return
   * (text null: shown as "no data", still citing the query).
   */
  async keyed(
    expr: string,
    title: string,
    labels: readonly string[],
  ): Promise<{ figures: Figure[]; get(values: readonly string[]): Figure }> {
    const { id, samples } = await this.instant(expr, title);
    const figures = samples.map((s) => figureOf(id, s));
    const map = byLabels(figures, labels);
    return {
      figures,
      get: (values) =>
        map.get(values.join('\u0000')) ?? {
          q: id,
          labels: Object.fromEntries(labels.map((l, i) => [l, values[i] ?? ''])),
          text: null,
          value: 0,
        },
    };
  }
}

export function figureOf(q: number, sample: PromSample | undefined): Figure {
  if (!sample) return { q, labels: {}, text: null, value: 0 };
  return { q, labels: sample.metric, text: sample.text, value: sample.value };
}

/** Figures of `list` keyed by the values of `labels`. */
export function byLabels(list: readonly Figure[], labels: readonly string[]): Map<string, Figure> {
  return new Map(list.map((f) => [labels.map((l) => f.labels[l] ?? '').join('\u0000'), f]));
}
