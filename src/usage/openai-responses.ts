/**
 * OpenAI Responses API `usage` (`ResponseUsage` in the openai SDK): `input_tokens` includes
 * `input_tokens_details.cached_tokens` and `.cache_write_tokens` (OpenAI prompt-caching guide:
 * 2600 input = 2000 cached + 400 written + 200 uncached); `output_tokens` includes
 * `output_tokens_details.reasoning_tokens`. xAI's Responses API uses the same fields with its
 * reasoning placement; OpenRouter adds `cost`.
 */
import type { NormalizedUsage } from '../types.js';
import type { UsageDialect } from './dialect.js';
import { checkInclusive } from './inclusive.js';
import { amount, child, count, type RawRecord, reportedBeside } from './read.js';
import type { UsageProblem } from './types.js';

export function normalizeOpenAIResponses(
  u: RawRecord,
  dialect: UsageDialect,
): NormalizedUsage | UsageProblem {
  const input = count(u, 'input_tokens');
  const output = count(u, 'output_tokens');
  if (input === undefined && output === undefined) return 'unknown_shape';
  const total = count(u, 'total_tokens');
  if (Number.isNaN(total)) return 'invalid';
  const inputDetails = child(u, 'input_tokens_details');
  const reasoning = count(child(u, 'output_tokens_details'), 'reasoning_tokens') ?? 0;
  const generated = output ?? 0;
  const beside = reportedBeside(total, (input ?? 0) + generated, reasoning, dialect.reasoningBeside);
  return checkInclusive(
    {
      inputTokens: input ?? 0,
      outputTokens: beside ? generated + reasoning : generated,
      cacheReadTokens: count(inputDetails, 'cached_tokens') ?? 0,
      cacheWriteTokens: count(inputDetails, 'cache_write_tokens') ?? 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: reasoning,
    },
    dialect.reportsCost ? amount(u, 'cost') : undefined,
  );
}
