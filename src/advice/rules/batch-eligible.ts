/**
 * Non-interactive operations (declared by the user: nightly summaries, backfills, evaluations)
 * paying real-time prices on a provider with a batch API at half price.
 */
import { LABEL } from '../../metrics/names.js';
import type { PromSample } from '../workload.js';
import { money, perMonth, type RuleContext } from './context.js';
import type { Recommendation } from './types.js';

/** Batch discounts by provider (published: OpenAI Batch API, Anthropic Message Batches, Gemini Batch Mode). */
export const BATCH_DISCOUNT: Record<string, { discount: number; how: string }> = {
  openai: {
    discount: 0.5,
    how: 'send the calls through the OpenAI Batch API (results within 24 h), or service_tier: "flex" for supported models',
  },
  anthropic: { discount: 0.5, how: 'send the calls through Anthropic Message Batches (results within 24 h)' },
  'gcp.gemini': { discount: 0.5, how: 'send the calls through Gemini Batch Mode (results within 24 h)' },
  'gcp.vertex_ai': { discount: 0.5, how: 'use Vertex AI batch prediction' },
};

export function batchEligible(
  costs: readonly PromSample[],
  query: string,
  ctx: RuleContext,
): Recommendation[] {
  const out: Recommendation[] = [];
  for (const s of costs) {
    const provider = s.metric[LABEL.provider] ?? '';
    const batch = BATCH_DISCOUNT[provider];
    if (!batch || !(s.value > 0)) continue;
    const operation = s.metric[LABEL.appOperation] ?? '';
    const model = s.metric[LABEL.model] ?? '';
    out.push({
      rule: 'batch-eligible',
      title: `Batch the non-interactive operation ${operation} on ${model}`,
      subject: { provider, model, operation },
      monthlySavingUsd: s.value * batch.discount * perMonth(ctx),
      why: `${operation} is declared non-interactive and cost ${money(s.value)} over ${ctx.range} at real-time prices; ${provider}'s batch pricing is ${batch.discount * 100}% off.`,
      evidence: [{ query, numbers: [{ what: `cost over ${ctx.range}`, value: money(s.value) }] }],
      todo: [
        `Collect the ${operation} calls and ${batch.how}`,
        'Record the batch results through record() with serviceTier: "batch" so they are priced at the batch rate',
        'Compare llm_cost_usd_total for this operation a week before and after',
      ],
    });
  }
  return out;
}
