/** Reading an Anthropic Message's (or merged stream's) usage, model and tier. */
import type { TokenUsage } from '../../types.js';
import { normalizeUsageDetailed } from '../../usage/index.js';

export const ANTHROPIC_PROVIDER = 'anthropic';

/**
 * Inclusive usage from an Anthropic `usage` object (JSON body or merged stream usage), or why
 * there is none: `invalid` when the provider sent a usage object we cannot
 * believe (negative, NaN, wrong types), so it is counted as such, not as merely missing.
 */
export function anthropicUsageRead(raw: unknown): { usage?: TokenUsage; reason?: 'invalid' } {
  const result = normalizeUsageDetailed(ANTHROPIC_PROVIDER, raw, 'anthropic.messages');
  if (result.usage !== undefined) return { usage: result.usage };
  return result.problem === 'missing' ? {} : { reason: 'invalid' };
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
