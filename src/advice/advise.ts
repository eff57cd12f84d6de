/**
 * Runs every recommendation rule: the queries go through one QueryBook (so a report can cite
 * them), the rules are pure functions of the results. Findings come back largest saving first;
 * rules that could not run say why.
 */
import { LABEL, METRIC } from '../metrics/names.js';
import { failedCallCostQuery } from './failed-call-cost.js';
import type { QueryBook } from './query-book.js';
import { batchEligible } from './rules/batch-eligible.js';
import { cachingUnused } from './rules/caching-unused.js';
import { ruleContext } from './rules/context.js';
import { failedCallSpend } from './rules/failed-calls.js';
import { frontierShortOutputs } from './rules/frontier-short-outputs.js';
import { longContextMargin, TIER_CROSSING_METRIC, tierCrossingQuery } from './rules/long-context-margin.js';
import { AGENT_RUNS_METRIC, runCostQueries, runCostRise } from './rules/run-cost-rise.js';
import type { Recommendation } from './rules/types.js';
import { workloadQueries, workloadRows } from './workload.js';

export interface AdviseOptions {
  range: string;
  rangeSeconds: number;
  /** App operations the user declares non-interactive (batch/flex candidates). */
  nonInteractive: string[];
}

export interface SkippedRule {
  rule: string;
  status: 'needs-data' | 'not-configured';
  message: string;
}

export interface Advice {
  recommendations: Recommendation[];
  skipped: SkippedRule[];
}

export function adviseOptions(
  range: string,
  rangeSeconds: number,
  nonInteractive: string | undefined,
): AdviseOptions {
  return {
    range,
    rangeSeconds,
    nonInteractive: (nonInteractive ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

const regexLiteral = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&').replace(/"/g, '\\"');

export async function runRules(book: QueryBook, options: AdviseOptions): Promise<Advice> {
  const R = options.range;
  const ctx = ruleContext(R, options.rangeSeconds, book.at * 1000);
  const group = [LABEL.agent];
  const wq = workloadQueries(group, R);
  const run = async (expr: string, title: string) => (await book.instant(expr, title)).samples;
  const [tokens, cost, requests, unpriced] = await Promise.all([
    run(wq.tokens, 'tokens by type, provider, model and agent'),
    run(wq.cost, 'spend by provider, model and agent'),
    run(wq.requests, 'calls by provider, model and agent'),
    run(wq.unpriced, 'unpriced calls by model'),
  ]);
  const rows = workloadRows(group, { tokens, cost, requests, unpriced });
  const recommendations: Recommendation[] = [
    ...cachingUnused(rows, wq.tokens, ctx),
    ...frontierShortOutputs(rows, wq.tokens, ctx),
  ];
  const skipped: SkippedRule[] = [];

  const failedQueries = {
    cost: failedCallCostQuery(R, [LABEL.agent]),
    counts: `sum by (${LABEL.provider}, ${LABEL.model}, ${LABEL.agent}, ${LABEL.outcome}, ${LABEL.errorType}) (increase(${METRIC.requests}{${LABEL.outcome}!="success"}[${R}])) > 0`,
  };
  recommendations.push(
    ...failedCallSpend(
      await run(failedQueries.cost, 'spend on aborted calls by agent, estimated'),
      await run(failedQueries.counts, 'failed and aborted calls by agent'),
      failedQueries,
      ctx,
    ),
  );

  if (options.nonInteractive.length > 0) {
    const q = `sum by (${LABEL.provider}, ${LABEL.model}, ${LABEL.appOperation}) (increase(${METRIC.costUsd}{${LABEL.appOperation}=~"${options.nonInteractive.map(regexLiteral).join('|')}"}[${R}])) > 0`;
    recommendations.push(...batchEligible(await run(q, 'spend of the non-interactive operations'), q, ctx));
  } else {
    skipped.push({
      rule: 'batch-eligible',
      status: 'not-configured',
      message: 'no operation declared non-interactive (--non-interactive nightly_summary,backfill)',
    });
  }

  const tierPresent =
    (await run(`count(${TIER_CROSSING_METRIC})`, 'is the tier-crossing counter exported')).length > 0;
  const tierQuery = tierCrossingQuery(R);
  const tier = longContextMargin(
    tierPresent ? await run(tierQuery, 'small-margin long-context calls') : null,
    rows,
    tierQuery,
    ctx,
  );
  if (Array.isArray(tier)) recommendations.push(...tier);
  else skipped.push({ rule: 'long-context-tier-margin', status: 'needs-data', message: tier.needsData });

  const runQueries = runCostQueries(R);
  const runsPresent = (await run(runQueries.present, 'are agent runs recorded')).length > 0;
  const rise = runCostRise(
    runsPresent
      ? {
          current: await run(runQueries.current, 'cost per successful run by agent'),
          previous: await run(runQueries.previous, 'cost per successful run by agent, previous range'),
          runs: await run(runQueries.runs, 'successful runs by agent'),
          previousRuns: await run(runQueries.previousRuns, 'successful runs by agent, previous range'),
        }
      : null,
    runQueries,
    ctx,
  );
  if (Array.isArray(rise)) recommendations.push(...rise);
  else skipped.push({ rule: 'run-cost-rise', status: 'needs-data', message: rise.needsData });

  recommendations.sort((a, b) => (b.monthlySavingUsd ?? -1) - (a.monthlySavingUsd ?? -1));
  return { recommendations, skipped };
}

export { AGENT_RUNS_METRIC, TIER_CROSSING_METRIC };
