/**
 * The figures of the cost report, each straight from a stated PromQL query at one evaluation time:
 * spend and its change against the previous period, spend over time by agent and by model,
 * budgets used, top movers, cost per 1K tokens, cache savings, unpriced calls and failed calls.
 * Derived numbers (changes, ratios) are computed in PromQL too, so every number has its query.
 */
import { LABEL, METRIC } from '../metrics/names.js';
import type { Advice, SkippedRule } from './advise.js';
import { failedCallCostQuery } from './failed-call-cost.js';
import type { Figure, QueryBook, RangeSeries, StatedQuery } from './query-book.js';
import type { Recommendation } from './rules/types.js';

export interface ChartData {
  /** Query id of the range query the chart draws. */
  q: number;
  stepSeconds: number;
  series: RangeSeries[];
  /** Label naming each series. */
  label: string;
  /** Each series' total over the range (instant query), largest first. */
  totals: Figure[];
}

export interface BudgetRow {
  name: string;
  window: string;
  limit: Figure;
  spent: Figure;
  used: Figure;
}

export interface MoverRow {
  agent: string;
  model: string;
  current: Figure;
  previous: Figure;
  change: Figure;
}

export interface ReportData {
  /** unix seconds */
  from: number;
  at: number;
  range: string;
  total: Figure;
  previousTotal: Figure;
  change: Figure;
  requests: Figure;
  tokens: Figure;
  cacheSavingsTotal: Figure;
  spendByAgent: ChartData;
  spendByModel: ChartData;
  budgets: BudgetRow[];
  movers: MoverRow[];
  costPer1k: Figure[];
  cacheSavings: Figure[];
  unpriced: Figure[];
  failed: Figure[];
  failedCost: Figure[];
  recommendations: Recommendation[];
  /** Rules that could not run, and why. */
  skipped: SkippedRule[];
  queries: StatedQuery[];
}

export interface ReportOptions {
  /** PromQL range, e.g. `7d`. */
  range: string;
  rangeSeconds: number;
  /** Bars per chart (default 28). */
  buckets?: number;
}

const P = LABEL.provider;
const M = LABEL.model;
const A = LABEL.agent;

/** Spend per step: the chart's step, rounded to whole seconds (PromQL ranges are whole units). */
export function chartStep(rangeSeconds: number, buckets: number): number {
  return Math.max(1, Math.ceil(rangeSeconds / buckets));
}

export async function collectReport(
  book: QueryBook,
  options: ReportOptions,
  advice: Advice = { recommendations: [], skipped: [] },
): Promise<ReportData> {
  const R = options.range;
  const cost = `increase(${METRIC.costUsd}[${R}])`;
  const previous = `increase(${METRIC.costUsd}[${R}] offset ${R})`;
  const step = chartStep(options.rangeSeconds, options.buckets ?? 28);
  const start = book.at - options.rangeSeconds + step;

  const chart = async (label: string, what: string): Promise<ChartData> => {
    const { id, series } = await book.range(
      `sum by (${label}) (increase(${METRIC.costUsd}[${step}s]))`,
      `spend per ${step}s by ${what}`,
      start,
      step,
    );
    const totals = (await book.each(`sum by (${label}) (${cost}) > 0`, `spend by ${what}`)).sort(
      (a, b) => b.value - a.value,
    );
    return { q: id, stepSeconds: step, series, label, totals };
  };

  const [total, previousTotal, change, requests, tokens, cacheSavingsTotal] = await Promise.all([
    book.one(`sum(${cost})`, 'spend in the range'),
    book.one(`sum(${previous})`, 'spend in the previous range'),
    book.one(`sum(${cost}) - sum(${previous})`, 'change against the previous range'),
    book.one(`sum(increase(${METRIC.requests}[${R}]))`, 'calls'),
    book.one(`sum(increase(${METRIC.tokens}[${R}]))`, 'tokens'),
    book.one(`sum(increase(${METRIC.cacheSavingsUsd}[${R}]))`, 'saved by cache reads'),
  ]);
  const spendByAgent = await chart(A, 'agent');
  const spendByModel = await chart(M, 'model');

  const limits = await book.each(
    `max by (${LABEL.budgetName}, ${LABEL.budgetWindow}) (${METRIC.budgetLimitUsd})`,
    'budget limits',
  );
  const budgets: BudgetRow[] = [];
  for (const window of [...new Set(limits.map((l) => l.labels[LABEL.budgetWindow] ?? ''))].sort()) {
    const spent = await book.keyed(
      `sum by (${LABEL.budgetName}) (increase(${METRIC.budgetSpendUsd}[${window}]))`,
      `budget spend over ${window}`,
      [LABEL.budgetName],
    );
    const used = await book.keyed(
      `sum by (${LABEL.budgetName}) (increase(${METRIC.budgetSpendUsd}[${window}])) / on (${LABEL.budgetName}) max by (${LABEL.budgetName}) (${METRIC.budgetLimitUsd}{${LABEL.budgetWindow}="${window}"})`,
      `share of the ${window} budget used`,
      [LABEL.budgetName],
    );
    for (const limit of limits.filter((l) => l.labels[LABEL.budgetWindow] === window)) {
      const name = limit.labels[LABEL.budgetName] ?? '';
      budgets.push({ name, window, limit, spent: spent.get([name]), used: used.get([name]) });
    }
  }

  const cur = `sum by (${A}, ${M}) (${cost})`;
  const prev = `sum by (${A}, ${M}) (${previous})`;
  const changes = await book.each(
    `(${cur} - ${prev}) or ${cur} or -${prev}`,
    'change by agent and model against the previous range',
  );
  const currentBy = await book.keyed(cur, 'spend by agent and model', [A, M]);
  const previousBy = await book.keyed(prev, 'spend by agent and model, previous range', [A, M]);
  const movers = changes
    .filter((c) => c.value !== 0)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .slice(0, 8)
    .map((c) => {
      const key = [c.labels[A] ?? '', c.labels[M] ?? ''];
      return {
        agent: key[0]!,
        model: key[1]!,
        current: currentBy.get(key),
        previous: previousBy.get(key),
        change: c,
      };
    });

  const sortDesc = (list: Figure[]) => list.sort((a, b) => b.value - a.value);
  const costPer1k = sortDesc(
    await book.each(
      `1000 * sum by (${P}, ${M}) (${cost}) / (sum by (${P}, ${M}) (increase(${METRIC.tokens}[${R}])) > 0) unless on (${P}, ${M}) (sum by (${P}, ${M}) (increase(${METRIC.unpricedRequests}[${R}])) > 0)`,
      'USD per 1K tokens by model (models with unpriced calls left out)',
    ),
  );
  const cacheSavings = sortDesc(
    await book.each(
      `sum by (${P}, ${M}) (increase(${METRIC.cacheSavingsUsd}[${R}])) > 0`,
      'saved by cache reads, by model',
    ),
  );
  const unpriced = sortDesc(
    await book.each(
      `sum by (${P}, ${M}) (increase(${METRIC.unpricedRequests}[${R}])) > 0`,
      'calls with no known price (not in any total)',
    ),
  );
  const failed = sortDesc(
    await book.each(
      `sum by (${P}, ${M}, ${LABEL.outcome}) (increase(${METRIC.requests}{${LABEL.outcome}!="success"}[${R}])) > 0`,
      'failed and aborted calls',
    ),
  );
  const failedCost = sortDesc(await book.each(failedCallCostQuery(R), 'spend on aborted calls, estimated'));

  return {
    from: book.at - options.rangeSeconds,
    at: book.at,
    range: R,
    total,
    previousTotal,
    change,
    requests,
    tokens,
    cacheSavingsTotal,
    spendByAgent,
    spendByModel,
    budgets,
    movers,
    costPer1k,
    cacheSavings,
    unpriced,
    failed,
    failedCost,
    recommendations: advice.recommendations,
    skipped: advice.skipped,
    queries: book.queries,
  };
}
