/**
 * Frontier models producing short outputs: expensive models whose calls write little (a label, a
 * yes/no, a short extraction) — work a smaller model of the same provider often does as well.
 * The saving is the workload repriced on that model, with the repricing's own assumptions.
 */
import { defaultCandidates } from '../candidates.js';
import { repriceWorkload } from '../reprice.js';
import type { WorkloadRow } from '../workload.js';
import { baseRates, money, perMonth, type RuleContext, tokens } from './context.js';
import type { Recommendation } from './types.js';

export const FRONTIER_RULE = {
  /** A model is "frontier" from this output price, USD per million tokens. */
  minOutputRate: 10,
  /** Visible output tokens per call (reasoning not counted) below which outputs are "short". */
  maxOutputPerCall: 300,
  minCalls: 20,
};

export function frontierShortOutputs(
  rows: readonly WorkloadRow[],
  query: string,
  ctx: RuleContext,
): Recommendation[] {
  const f = FRONTIER_RULE;
  const out: Recommendation[] = [];
  for (const row of rows) {
    if (row.requests < f.minCalls || row.costUsd === null || row.costUsd <= 0) continue;
    const from = { provider: row.provider, model: row.model };
    const rates = baseRates(ctx, from);
    if (!rates || rates.output < f.minOutputRate) continue;
    const perCall = row.mix.output / row.requests;
    if (perCall >= f.maxOutputPerCall) continue;
    const candidates = defaultCandidates(from, row.mix, { limit: 3, priceBook: ctx.priceBook, at: ctx.atMs });
    const repriced = repriceWorkload(row.mix, {
      from,
      to: candidates,
      actualUsd: row.costUsd,
      requests: row.requests,
      priceBook: ctx.priceBook,
      at: ctx.atMs,
    });
    // The smallest of the candidates' savings: the conservative figure.
    const best = repriced.results
      .flatMap((r) => (r.priced && r.savingUsd !== null && r.savingUsd > 0 ? [r] : []))
      .sort((a, b) => (a.savingUsd ?? 0) - (b.savingUsd ?? 0))[0];
    if (!best) continue;
    const agent = row.group.gen_ai_agent_name;
    out.push({
      rule: 'frontier-short-outputs',
      title: `Try ${best.target.model} instead of ${row.model}${agent ? ` for ${agent}` : ''}`,
      subject: { provider: row.provider, model: row.model, ...(agent ? { agent } : {}) },
      monthlySavingUsd: (best.savingUsd ?? 0) * perMonth(ctx),
      why: `${row.model} (output $${rates.output}/MTok) wrote ${tokens(perCall)} output tokens per call over ${tokens(row.requests)} calls — short answers a smaller model often gives as well. The same token mix on ${best.target.model} would have cost ${money(best.costUsd)} instead of ${money(row.costUsd)}${best.assumptions.length ? `, assuming: ${best.assumptions.map((a) => a.text).join('; ')}` : ''}.`,
      evidence: [
        {
          query,
          numbers: [
            { what: 'calls', value: tokens(row.requests) },
            { what: 'output tokens', value: tokens(row.mix.output) },
            { what: `observed cost over ${ctx.range}`, value: money(row.costUsd) },
            ...repriced.results.flatMap((r) =>
              r.priced ? [{ what: `same mix on ${r.target.model}`, value: money(r.costUsd) }] : [],
            ),
          ],
        },
      ],
      todo: [
        `Run an evaluation of ${best.target.model} on a sample of these calls (same prompts) and compare answers`,
        `If quality holds, switch the model for this ${agent ? 'agent' : 'workload'} behind a flag and compare llm_cost_usd_total and error rates for a week`,
        `llm-cost whatif --to ${best.target.model} shows the repricing with every assumption`,
      ],
    });
  }
  return out;
}
