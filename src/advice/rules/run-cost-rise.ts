/**
 * Agents whose cost per successful run rose week over week (range over the range before it).
 * Cost per successful run = the agent's LLM spend / its successful runs (issue 16's definition:
 * total cost over successful tasks, not requests).
 *
 * ASSUMED METRIC (being added by the agent-runs work):
 *   llm_agent_runs_total{gen_ai_agent_name, llm_run_outcome="success"|"failure"|"abandoned"}
 * The rule says "needs data" while it is absent.
 */
import { LABEL, METRIC } from '../../metrics/names.js';
import type { PromSample } from '../workload.js';
import { money, perMonth, type RuleContext, share, tokens } from './context.js';
import type { Recommendation } from './types.js';

export const AGENT_RUNS_METRIC = METRIC.agentRuns;
export const RUN_OUTCOME_LABEL = LABEL.runOutcome;

export const RUN_COST_RULE = {
  /** Rise from which the rule speaks. */
  minRise: 0.2,
  /** Successful runs needed in each period for the figure to mean something. */
  minRuns: 5,
};

export function runCostQueries(range: string) {
  const A = LABEL.agent;
  const runs = (offset: string) =>
    `sum by (${A}) (increase(${AGENT_RUNS_METRIC}{${RUN_OUTCOME_LABEL}="success"}[${range}]${offset}))`;
  const perRun = (offset: string) =>
    `sum by (${A}) (increase(${METRIC.costUsd}[${range}]${offset})) / (${runs(offset)} > 0)`;
  return {
    current: perRun(''),
    previous: perRun(` offset ${range}`),
    runs: runs(''),
    previousRuns: runs(` offset ${range}`),
    present: `count(${AGENT_RUNS_METRIC})`,
  };
}

export interface RunCostResults {
  current: readonly PromSample[];
  previous: readonly PromSample[];
  runs: readonly PromSample[];
  previousRuns: readonly PromSample[];
}

export function runCostRise(
  results: RunCostResults | null,
  queries: ReturnType<typeof runCostQueries>,
  ctx: RuleContext,
): Recommendation[] | { needsData: string } {
  if (results === null) return { needsData: `no ${AGENT_RUNS_METRIC} series (agent runs are not recorded)` };
  const A = LABEL.agent;
  const find = (list: readonly PromSample[], agent: string) => list.find((s) => s.metric[A] === agent)?.value;
  const out: Recommendation[] = [];
  for (const cur of results.current) {
    const agent = cur.metric[A] ?? '';
    const prev = find(results.previous, agent);
    const runs = find(results.runs, agent) ?? 0;
    const prevRuns = find(results.previousRuns, agent) ?? 0;
    if (prev === undefined || !(prev > 0) || runs < RUN_COST_RULE.minRuns || prevRuns < RUN_COST_RULE.minRuns)
      continue;
    const rise = cur.value / prev - 1;
    if (rise < RUN_COST_RULE.minRise) continue;
    out.push({
      rule: 'run-cost-rise',
      title: `Cost per successful run of ${agent} rose ${share(rise)}`,
      subject: { agent },
      monthlySavingUsd: (cur.value - prev) * runs * perMonth(ctx),
      why: `${agent} cost ${money(cur.value)} per successful run over the last ${ctx.range}, against ${money(prev)} over the ${ctx.range} before (${tokens(runs)} and ${tokens(prevRuns)} successful runs). Getting back to the earlier figure saves the difference on every run.`,
      evidence: [
        {
          query: queries.current,
          numbers: [{ what: 'cost per successful run, this range', value: money(cur.value) }],
        },
        {
          query: queries.previous,
          numbers: [{ what: 'cost per successful run, previous range', value: money(prev) }],
        },
        { query: queries.runs, numbers: [{ what: 'successful runs, this range', value: tokens(runs) }] },
      ],
      todo: [
        `Compare ${agent}'s spend by model and operation between the two ranges (llm-cost export --by model,operation --step ${ctx.range})`,
        'Look for a changed model, a longer prompt (tokens per call), more calls per run, or a lower success rate (more failed runs paid for)',
        'Check the Agents dashboard: spend share and agent × model for the change date',
      ],
    });
  }
  return out;
}
