/**
 * Prompts just over a long-context tier boundary: calls that pay the higher rate for the whole
 * request by a small margin of prompt tokens. This needs a counter of tier-crossing calls the
 * library exports (`llm_tier_crossing_requests_total{gen_ai_provider_name, gen_ai_request_model,
 * gen_ai_agent_name, llm_tier_margin="small"|"large"}`: calls priced at a long-context tier,
 * `small` when the prompt was within 10% above the tier's threshold); the rule says "needs data"
 * while Prometheus holds none (older library versions, or no call ever crossed a tier).
 */
import { LABEL, METRIC } from '../../metrics/names.js';
import { ratesOf } from '../reprice.js';
import type { PromSample, WorkloadRow } from '../workload.js';
import { money, perMonth, type RuleContext, tokens } from './context.js';
import type { Recommendation } from './types.js';

export const TIER_CROSSING_METRIC = METRIC.tierCrossingRequests;
export const TIER_MARGIN_LABEL = LABEL.tierMargin;

export const TIER_RULE = {
  /** Small-margin crossing calls in the range from which the rule speaks. */
  minCalls: 5,
};

export function tierCrossingQuery(range: string): string {
  return `sum by (${LABEL.provider}, ${LABEL.model}, ${LABEL.agent}) (increase(${TIER_CROSSING_METRIC}{${TIER_MARGIN_LABEL}="small"}[${range}]))`;
}

/**
 * `crossings` null: the metric is absent (the caller checked), and the rule is skipped with
 * "needs data". Saving: each small-margin call priced at the base instead of the tier rate,
 * using the row's average cost per call (crossing calls cost more than average, so this is low).
 */
export function longContextMargin(
  crossings: readonly PromSample[] | null,
  rows: readonly WorkloadRow[],
  query: string,
  ctx: RuleContext,
): Recommendation[] | { needsData: string } {
  if (crossings === null)
    return {
      needsData: `no ${TIER_CROSSING_METRIC} series (no call was priced at a long-context tier in the range)`,
    };
  const out: Recommendation[] = [];
  for (const s of crossings) {
    if (s.value < TIER_RULE.minCalls) continue;
    const m = s.metric;
    const row = rows.find(
      (r) =>
        r.provider === m[LABEL.provider] &&
        r.model === m[LABEL.model] &&
        r.group[LABEL.agent] === m[LABEL.agent],
    );
    if (!row || row.costUsd === null || row.requests <= 0) continue;
    const rates = ratesOf(ctx.priceBook, { provider: row.provider, model: row.model }, ctx.atMs);
    if (!('levels' in rates) || rates.levels.length < 2) continue;
    const [base, tier] = [rates.levels[0]!, rates.levels[1]!];
    const perCall = row.costUsd / row.requests;
    const saving = s.value * perCall * (1 - base.rates.input / tier.rates.input) * perMonth(ctx);
    out.push({
      rule: 'long-context-tier-margin',
      title: `Keep ${m[LABEL.agent]}'s prompts to ${row.model} under ${tokens(tier.startTokens)} tokens`,
      subject: { provider: row.provider, model: row.model, agent: m[LABEL.agent] ?? '' },
      monthlySavingUsd: saving,
      why: `${tokens(s.value)} calls went over the ${tokens(tier.startTokens)}-token threshold by less than 10%, and paid $${tier.rates.input}/MTok instead of $${base.rates.input}/MTok for the whole prompt.`,
      evidence: [
        {
          query,
          numbers: [
            { what: 'small-margin crossing calls', value: tokens(s.value) },
            { what: 'average cost per call', value: money(perCall) },
          ],
        },
      ],
      todo: [
        'Trim the prompt: drop stale conversation turns, summarise long tool results, deduplicate retrieved documents',
        `Cap retrieval so prompt + expected output stays under ${tokens(tier.startTokens)} tokens`,
      ],
    });
  }
  return out;
}
