/**
 * Money spent on failed, aborted and retried calls. Cost is not labelled by outcome, so the rule
 * reads the estimate `failedCallCostQuery` computes in PromQL (aborted calls × the model's average
 * cost per call — the billed part; errors before generation are not billed) and shows the error
 * counts beside it, since every retried error is load and latency even when it costs nothing.
 */
import { LABEL } from '../../metrics/names.js';
import type { PromSample } from '../workload.js';
import { money, perMonth, type RuleContext, tokens } from './context.js';
import type { Recommendation } from './types.js';

export const FAILED_RULE = {
  /** Estimated monthly cost of failed work from which the rule speaks, USD. */
  minMonthlyUsd: 1,
};

const key = (m: Record<string, string>) =>
  [m[LABEL.provider], m[LABEL.model], m[LABEL.agent]].map((v) => v ?? '').join('\u0000');

export function failedCallSpend(
  costs: readonly PromSample[],
  counts: readonly PromSample[],
  queries: { cost: string; counts: string },
  ctx: RuleContext,
): Recommendation[] {
  const out: Recommendation[] = [];
  for (const cost of costs) {
    const monthly = cost.value * perMonth(ctx);
    if (!(monthly >= FAILED_RULE.minMonthlyUsd)) continue;
    const m = cost.metric;
    const byOutcome = counts.filter((c) => key(c.metric) === key(m));
    const aborted = byOutcome
      .filter((c) => c.metric[LABEL.outcome] === 'aborted')
      .reduce((s, c) => s + c.value, 0);
    const errors = byOutcome.filter((c) => c.metric[LABEL.outcome] === 'error');
    out.push({
      rule: 'failed-call-spend',
      title: `Cut aborted and failed calls of ${m[LABEL.agent] ? `${m[LABEL.agent]} on ` : ''}${m[LABEL.model]}`,
      subject: {
        provider: m[LABEL.provider] ?? '',
        model: m[LABEL.model] ?? '',
        agent: m[LABEL.agent] ?? '',
      },
      monthlySavingUsd: monthly,
      why: `Aborted calls cost up to ${money(cost.value)} over ${ctx.range} (estimated: aborted calls × the model's average cost per call; a stream cut early is billed for what it generated). Errors are counted beside it: most are not billed, but each retry adds latency and load.`,
      evidence: [
        {
          query: queries.cost,
          numbers: [{ what: `estimated cost over ${ctx.range}`, value: money(cost.value) }],
        },
        {
          query: queries.counts,
          numbers: [
            { what: 'aborted calls', value: tokens(aborted) },
            ...errors.map((e) => ({
              what: `errors (${e.metric[LABEL.errorType] || 'unknown'})`,
              value: tokens(e.value),
            })),
          ],
        },
      ],
      todo: [
        'Rate-limit errors (429): add client-side rate limiting and retry with exponential backoff and jitter, honouring retry-after',
        'Aborted streams: cap max_tokens to what the consumer reads, and stop generating (abort the request) as soon as the answer is complete',
        'Server errors (5xx): retry once, then fail over to another model or region instead of retrying the same call',
        'Watch the Reliability dashboard: error ratio by provider and error type, aborted streams',
      ],
    });
  }
  return out;
}
