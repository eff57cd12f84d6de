/**
 * Rows: per label combination, direct references to every series a record touches, so the hot
 * path does no key building or map lookups per family. Rows are capped at `maxSeries`; past the
 * cap every new combination shares one overflow row made of the families' overflow series.
 */
import { notice } from '../diag.js';
import type { MetricFamilies } from '../metrics/families.js';
import { type MetricFamily, seriesKey } from '../metrics/family.js';
import { OUTCOMES, OVERFLOW_VALUE, USAGE_MISSING_PRECREATED } from '../metrics/names.js';
import type { CounterSeries, FamilyType, HistogramSeries, SeriesOf } from '../metrics/series.js';
import { type Outcome, TOKEN_TYPES, type TokenType } from '../types.js';
import { type CallLabels, FIXED_LABELS, type LabelDefaults, labelRecord, labelValues } from './labels.js';

const MAX_ERROR_TYPES_PER_ROW = 20;

/** Per label combination: direct references to every series a record touches. */
export interface Row {
  /** Clean label values in series order (see `FIXED_LABELS`). */
  readonly values: readonly string[];
  /** The same values by label name; one frozen object per row, so listeners can key caches by it. */
  readonly labels: CallLabels;
  /** `llm_cost_usd_total` series by token type. */
  readonly cost: Readonly<Record<TokenType, CounterSeries>>;
  /** `llm_tokens_total` series by token type. */
  readonly tokens: Readonly<Record<TokenType, CounterSeries>>;
  readonly requestCost: HistogramSeries;
  readonly duration: Map<Outcome, HistogramSeries>;
  readonly requests: Map<string, CounterSeries>;
  readonly cacheSavings: CounterSeries;
  /**
   * `llm_series_overflow_total{metric}` series to add 1 to per record: one per family whose series
   * this row shares with other label combinations past the cap (empty for ordinary rows).
   */
  overflowCounters: CounterSeries[];
  /** The GenAI families' series keys, built on first use (the series are still looked up). */
  genAi?: GenAiKeys;
}

/** Keys and label values of a row's `gen_ai.client.*` series. */
export interface GenAiKeys {
  /** `apiOperation\0provider\0model\0`: the duration key when there is no error type. */
  base: string;
  op: string;
  inputKey: string;
  inputValues: readonly string[];
  outputKey: string;
  outputValues: readonly string[];
}

export interface RowTableOptions extends LabelDefaults {
  metricFamilies: MetricFamilies;
  maxSeries: number;
}

export class RowTable {
  /** Rows by their (clean) label values: at most `maxSeries`, the one cap of the row-keyed families. */
  private readonly rows = new Map<string, Row>();
  /** Rows by the raw values callers passed (a cache in front of `rows`, cleared when it fills). */
  private readonly rowsByInput = new Map<string, Row>();
  private overflowRow?: Row;

  constructor(private readonly options: RowTableOptions) {}

  /** The row cached under `inputKey` (the raw values, joined), if any. */
  cached(inputKey: string): Row | undefined {
    return this.rowsByInput.get(inputKey);
  }

  /** The row for these raw label values (cleaned here), created on first use; cached under `inputKey`. */
  create(
    inputKey: string,
    raw: { provider: unknown; model: unknown; agent: unknown; apiOperation: unknown; operation: unknown },
    dimensionValues: readonly string[] | undefined,
  ): Row {
    const o = this.options;
    const values = labelValues(raw, dimensionValues, o);
    const labelKey = seriesKey(values);
    let row = this.rows.get(labelKey);
    if (row === undefined) {
      // The cost family's cap is the cap of every family keyed by the row's labels.
      if (!o.metricFamilies.cost.hasRoom([...values, 'input'])) return this.overflow();
      row = this.build(values);
      this.rows.set(labelKey, row);
    }
    if (this.rowsByInput.size >= 2 * o.maxSeries) this.rowsByInput.clear();
    this.rowsByInput.set(inputKey, row);
    return row;
  }

  requestSeries(row: Row, outcome: Outcome, errorType: string): CounterSeries {
    // No error type: the outcome alone is the key (a constant string, no concatenation per call).
    const k = errorType === '' ? outcome : `${outcome}\u0000${errorType}`;
    let series = row.requests.get(k);
    if (series === undefined) {
      // Error types are bounded per row; the rest share `_OTHER`.
      const type = row.requests.size >= MAX_ERROR_TYPES_PER_ROW && errorType !== '' ? '_OTHER' : errorType;
      series = this.options.metricFamilies.requests.at([...row.values, outcome, type]);
      if (type === errorType) row.requests.set(k, series);
    }
    return series;
  }

  durationSeries(row: Row, outcome: Outcome): HistogramSeries {
    let series = row.duration.get(outcome);
    if (series === undefined) {
      series = this.options.metricFamilies.duration.at([...row.values, outcome]);
      row.duration.set(outcome, series);
    }
    return series;
  }

  /** The GenAI series keys of `row`, built once. */
  genAiKeys(row: Row): GenAiKeys {
    if (row.genAi !== undefined) return row.genAi;
    const [provider, model, , op] = row.values as [string, string, string, string];
    const base = `${op}\u0000${provider}\u0000${model}\u0000`;
    const keys: GenAiKeys = {
      base,
      op,
      inputKey: `${base}input`,
      inputValues: [op, provider, model, 'input'],
      outputKey: `${base}output`,
      outputValues: [op, provider, model, 'output'],
    };
    row.genAi = keys;
    return keys;
  }

  private overflow(): Row {
    if (this.overflowRow === undefined) {
      notice(
        'row-overflow',
        `more than ${this.options.maxSeries} distinct provider/model/agent/operation combinations: further ones are counted under "${OVERFLOW_VALUE}" labels (totals stay right; each such record is counted in llm_series_overflow_total). Keep ids and free text out of labels, or raise maxSeries.`,
      );
      const n = FIXED_LABELS.length + this.options.dimensions.length;
      const row = this.build(new Array(n).fill(OVERFLOW_VALUE), true);
      const ins = this.options.metricFamilies;
      row.overflowCounters = [
        ins.cost,
        ins.tokens,
        ins.requests,
        ins.requestCost,
        ins.duration,
        ins.cacheSavings,
      ].map((family) => ins.seriesOverflow.at([family.name]));
      this.overflowRow = row;
    }
    return this.overflowRow;
  }

  /** `overflow`: the shared row past the cap, made of the families' overflow series. */
  private build(values: string[], overflow = false): Row {
    const ins = this.options.metricFamilies;
    const at = <T extends FamilyType>(family: MetricFamily<T>, v: readonly string[]): SeriesOf<T> =>
      overflow ? family.overflowAt(v) : family.at(v);
    const byTokenType = (family: typeof ins.cost) => {
      const series = {} as Record<TokenType, CounterSeries>;
      for (const type of TOKEN_TYPES) series[type] = at(family, [...values, type]);
      return series;
    };
    const [provider, model, agent] = values as [string, string, string];
    const row: Row = {
      values,
      labels: labelRecord(values, this.options.dimensions),
      cost: byTokenType(ins.cost),
      tokens: byTokenType(ins.tokens),
      requestCost: at(ins.requestCost, values),
      duration: new Map(),
      requests: new Map(),
      cacheSavings: at(ins.cacheSavings, [provider, model, agent]),
      overflowCounters: [],
    };
    if (ins.cacheSavings.isOverflow(row.cacheSavings)) {
      row.overflowCounters.push(ins.seriesOverflow.at([ins.cacheSavings.name]));
    }
    // Series whose label values are known up front exist at 0 from the row's first call, so
    // rate()/increase() see the first error, abort, unpriced call or missing usage.
    for (const outcome of OUTCOMES) {
      if (overflow) {
        row.requests.set(outcome, ins.requests.overflowAt([...values, outcome, '']));
        row.duration.set(outcome, ins.duration.overflowAt([...values, outcome]));
      } else {
        this.requestSeries(row, outcome, '');
        this.durationSeries(row, outcome);
      }
    }
    // Only where they fit: pre-creating must not count as a record in the overflow series.
    const pm = [provider, model];
    if (ins.unpriced.hasRoom(pm)) ins.unpriced.at(pm);
    if (ins.usageMissing.hasRoom([...pm, 'missing'])) {
      for (const reason of USAGE_MISSING_PRECREATED) ins.usageMissing.at([...pm, reason]);
    }
    return row;
  }
}
