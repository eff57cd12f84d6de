/**
 * A call's reported usage, checked: untrusted input validated, split into disjoint buckets, and
 * every problem counted in `llm_usage_missing_total{reason}` (or `llm_usage_implausible_total`)
 * and said once — never a record lost, never a silently wrong number.
 */
import type { OnceWarner } from '../diag.js';
import type { MetricFamilies } from '../metrics/families.js';
import { sanitizeUsage, toBucketsChecked } from '../pricing/buckets.js';
import type { LLMCall, Outcome, TokenUsage, UsageBuckets } from '../types.js';
import { cleanLabelValue } from './labels.js';

/** Twice the largest context windows on sale (2M): a larger per-call count is corrupt usage. */
export const DEFAULT_MAX_PLAUSIBLE_TOKENS = 10_000_000;

export interface CheckedUsage {
  /** Valid usage, as a fresh plain object; undefined when absent or invalid. */
  usage?: TokenUsage;
  buckets?: UsageBuckets;
  /** Above `maxPlausibleTokens`: recorded as reported, and flagged. */
  implausible: boolean;
}

/** Count one `llm_usage_missing_total{provider, model, reason}`. */
export function countUsageMissing(
  metricFamilies: MetricFamilies,
  labels: readonly string[],
  reason: string,
): void {
  const r = cleanLabelValue(reason, 'missing');
  metricFamilies.usageMissing.at([labels[0]!, labels[1]!, r]).add(1);
}

export function checkUsage(
  call: Pick<LLMCall, 'usage' | 'usageMissingReason'>,
  outcome: Outcome,
  labels: readonly string[],
  options: { metricFamilies: MetricFamilies; warner: OnceWarner; maxPlausibleTokens: number },
): CheckedUsage {
  const { metricFamilies, warner } = options;
  const [provider, model] = labels as [string, string];
  const result: CheckedUsage = { implausible: false };
  if (call.usage === undefined || call.usage === null) {
    if (outcome !== 'error' || call.usageMissingReason) {
      countUsageMissing(metricFamilies, labels, call.usageMissingReason ?? 'missing');
    }
  } else {
    const checked = sanitizeUsage(call.usage);
    if ('invalid' in checked) {
      countUsageMissing(metricFamilies, labels, 'invalid');
      warner.warn(
        `${provider}\u0000${model}`,
        `invalid usage for ${provider}/${model} (${checked.invalid}); counted in llm_usage_missing_total{reason="invalid"}, no tokens or cost added`,
      );
    } else {
      const usage = checked.usage;
      const split = toBucketsChecked(usage);
      result.usage = usage;
      result.buckets = split.buckets;
      if (split.clamped) countUsageMissing(metricFamilies, labels, 'inconsistent');
      if (call.usageMissingReason) countUsageMissing(metricFamilies, labels, call.usageMissingReason);
      const total = usage.inputTokens + usage.outputTokens;
      const ceiling = options.maxPlausibleTokens;
      if (total > ceiling) {
        result.implausible = true;
        metricFamilies.implausibleUsage.at([provider, model]).add(1);
        warner.warn(
          `implausible\u0000${provider}\u0000${model}`,
          `${provider}/${model} reported ${total} tokens for one call, above maxPlausibleTokens (${ceiling}): recorded as reported, and counted in llm_usage_implausible_total — check the provider's usage`,
        );
      }
    }
  }
  if (call.usageMissingReason === 'invalid') {
    // The SDK wrappers found the provider's usage object malformed: said, as for record() input.
    warner.warn(
      `sdk-invalid\u0000${provider}\u0000${model}`,
      `invalid usage from ${provider}/${model}; counted in llm_usage_missing_total{reason="invalid"}, no tokens or cost added for what was invalid`,
    );
  }
  return result;
}
