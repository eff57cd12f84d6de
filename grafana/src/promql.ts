/**
 * PromQL pieces of the dashboard queries: series selectors that follow the dashboard filters,
 * rates and increases over Grafana's intervals, sums, ratios and quantiles.
 */
import { filterMatchers, filtersFor, type MetricName } from './common.js';

/**
 * A series selector filtered by the dashboard variables, e.g.
 * `llm_requests_total{job=~"$job",…,llm_outcome="error"}`. `suffix` selects a histogram's
 * `_bucket`, `_sum` or `_count` series; `matchers` are extra raw label matchers.
 */
export function series(metric: MetricName, matchers: readonly string[] = [], suffix = ''): string {
  return `${metric}${suffix}{${[...filterMatchers(filtersFor(metric)), ...matchers].join(',')}}`;
}

/** Per-second rate over Grafana's `$__rate_interval` (at least four scrape intervals). */
export const rate = (selector: string): string => `rate(${selector}[$__rate_interval])`;
/** Counter increase over the panel's whole time range. */
export const increaseOverRange = (selector: string): string => `increase(${selector}[$__range])`;

/**
 * Counter increase over the panel's time range that also counts series born inside it (a new
 * error type, an unpriced model, a new model's cost) with their whole value — `increase()` cannot
 * see a series' first sample. The same first-seen rule as the alert rules
 * (`prometheus/src/promql.ts`): only when the target was scraped before the range, and the series
 * was not seen in the hour before it.
 */
export const countedOverRange = (selector: string): string =>
  `((${selector} unless present_over_time(${selector}[1h] offset $__range)) and on (job, instance) (up{job=~"$job"} offset $__range)) or increase(${selector}[$__range])`;
/** `sum by (labels) (expr)`; no labels gives a plain `sum(expr)`. */
export const sumBy = (labels: readonly string[], expr: string): string =>
  labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(', ')}) (${expr})`;

/**
 * `numerator / denominator`, where a group with a denominator but no numerator series (e.g. a
 * provider with no errors yet) shows 0 instead of disappearing.
 */
export const zeroFilledRatio = (numerator: string, denominator: string): string =>
  `(${numerator} or ${denominator} * 0) / ${denominator}`;
/** Shows 0 instead of "No data" when the counter has never been incremented (e.g. no unpriced calls). */
export const orZero = (expr: string): string => `(${expr}) or on () vector(0)`;

/** Legend placeholder for a label, e.g. `{{gen_ai_request_model}}`. */
export const legendOf = (...labels: string[]): string => labels.map((l) => `{{${l}}}`).join(' / ');

/** `histogram_quantile(q, buckets)`: `buckets` is already summed by `le` (and any grouping labels). */
export const histogramQuantile = (q: number, buckets: string): string =>
  `histogram_quantile(${q}, ${buckets})`;
