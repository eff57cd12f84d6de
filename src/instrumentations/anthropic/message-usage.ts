/** Reading an Anthropic Message's (or merged stream's) usage, model and tier. */
import type { TokenUsage } from '../../types.js';
import { normalizeUsage } from '../../usage/index.js';

export const ANTHROPIC_PROVIDER = 'anthropic';

/** Inclusive usage from an Anthropic `usage` object (JSON body or merged stream usage). */
export function anthropicUsage(raw: unknown): TokenUsage | undefined {
  return normalizeUsage(ANTHROPIC_PROVIDER, raw, 'anthropic.messages');
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
