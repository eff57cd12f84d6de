/**
 * Queries over the shipped recording rules (`prometheus/rules/llm-cost-recording.yml`): 7-day,
 * 30-day and month figures are sums of 5-minute spend tiles, budgets read the budget records —
 * a few series per row instead of every raw counter over weeks. Names come from the rules' own
 * source, so a renamed rule changes these queries.
 *
 * Until the first tile exists (the first 5 minutes after the rules are loaded) each query falls
 * back to the raw counters' increase over one tile, so a fresh setup shows its first spend.
 * PromQL evaluates both sides of `or`, so the fallback is kept to one tile of raw samples.
 */
import { config } from '../../prometheus/src/config.js';
import { durationOf, increaseWithFirstSeen, seconds } from '../../prometheus/src/promql.js';
import { recordNames } from '../../prometheus/src/record-names.js';
import { LABEL, METRIC } from '../../src/metrics/names.js';
import { FILTERS, filteredSelector } from './common.js';
import { series, sumBy } from './promql.js';

export const RECORD = recordNames(config);

/** The spend tile with the dashboard filters (every filter label is on the tile). */
const costTile = filteredSelector(RECORD.costTile, FILTERS);
/**
 * The raw fallback: a plain increase over one tile. It only matters before the first tile exists,
 * and first-seen counting here would scan an hour of every raw series on every refresh (half the
 * cost of a 7-day panel at 10k series, measured in docs/performance.md).
 */
const rawFallback = `increase(${series(METRIC.costUsd)}[${config.tile}])`;

/**
 * Spend over `range` (a fixed window such as `30d`, or `$__range`) from tiles, summed by `labels`.
 * A fixed window is cut half a tile short so it holds exactly window ÷ 5m tiles.
 */
export function spendFromTiles(range: string, labels: readonly string[] = []): string {
  const r = /^\d+[smhdw]$/.test(range)
    ? durationOf(seconds(range as `${number}d`) - seconds(config.tile) / 2)
    : range;
  return `${sumBy(labels, `sum_over_time(${costTile}[${r}])`)} or ${sumBy(labels, rawFallback)}`;
}

/** USD per second over the last hour, from tiles. */
export const spendRateFromTiles = `(${spendFromTiles('1h')}) / 3600`;

const budgetJob = `{job=~"$job"}`;
export const BUDGET_LIMIT = `${RECORD.budgetLimit}${budgetJob}`;
const budgetKey = `job, ${LABEL.budgetName}`;
/** Before the first tile: the raw budget spend over one tile, per budget. */
const budgetRawSpend = sumBy(
  ['job', LABEL.budgetName],
  increaseWithFirstSeen({ ...config, selector: 'job=~"$job"' }, series(METRIC.budgetSpendUsd), config.tile),
);
/** Each budget's share of its limit over its own window (one series per job, budget, window). */
export const BUDGET_USAGE = `${RECORD.budgetUsage}${budgetJob} or (${budgetRawSpend} / on (${budgetKey}) group_right ${BUDGET_LIMIT})`;
/** The highest of each budget's own thresholds that its spend has reached (absent below the lowest). */
export const BUDGET_THRESHOLD_REACHED = `${RECORD.budgetThresholdReached}${budgetJob}`;
/** Spend of each budget over its own window, labelled with the window like the limit. */
export const BUDGET_SPENT = `${config.budget.windows
  .map(
    (w) =>
      `(label_replace(${RECORD.budgetIncrease(w)}${budgetJob}, "${LABEL.budgetWindow}", "${w}", "", "") and on (${budgetKey}, ${LABEL.budgetWindow}) ${BUDGET_LIMIT})`,
  )
  .join(' or ')} or (${budgetRawSpend} + on (${budgetKey}) group_right 0 * ${BUDGET_LIMIT})`;
