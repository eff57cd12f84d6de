/**
 * OpenAI Chat Completions `usage` (`CompletionUsage` in the openai SDK), and the OpenAI-compatible
 * dialects that reuse it:
 * - OpenAI: `prompt_tokens` includes `prompt_tokens_details.cached_tokens` and `.cache_write_tokens`;
 *   `completion_tokens` includes `completion_tokens_details.reasoning_tokens`
 *   (platform.openai.com prompt-caching and reasoning guides).
 * - DeepSeek: `prompt_cache_hit_tokens + prompt_cache_miss_tokens = prompt_tokens` (api-docs.deepseek.com,
 *   context caching); the hit count wins over `cached_tokens` when both are present.
 * - xAI: reasoning reported beside `completion_tokens` (see `dialect.ts`).
 * - OpenRouter: `usage.cost` is the USD charged (openrouter.ai/docs, usage accounting).
 */
import type { NormalizedUsage } from '../types.js';
import type { UsageDialect } from './dialect.js';
import { checkInclusive } from './inclusive.js';
import { amount, child, count, type RawRecord, reportedBeside } from './read.js';
import type { UsageProblem } from './types.js';

export function normalizeOpenAIChat(u: RawRecord, dialect: UsageDialect): NormalizedUsage | UsageProblem {
  const prompt = count(u, 'prompt_tokens');
  const completion = count(u, 'completion_tokens');
  const hit = count(u, 'prompt_cache_hit_tokens');
  const miss = count(u, 'prompt_cache_miss_tokens');
  if (prompt === undefined && completion === undefined && hit === undefined && miss === undefined) {
    return 'unknown_shape';
  }
  const total = count(u, 'total_tokens');
  if (Number.isNaN(total)) return 'invalid';
  const promptDetails = child(u, 'prompt_tokens_details');
  const reasoning = count(child(u, 'completion_tokens_details'), 'reasoning_tokens') ?? 0;
  const input = prompt ?? (hit ?? 0) + (miss ?? 0);
  const generated = completion ?? 0;
  const beside = reportedBeside(total, input + generated, reasoning, dialect.reasoningBeside);
  return checkInclusive(
    {
      inputTokens: input,
      outputTokens: beside ? generated + reasoning : generated,
      cacheReadTokens: hit ?? count(promptDetails, 'cached_tokens') ?? 0,
      cacheWriteTokens: count(promptDetails, 'cache_write_tokens') ?? 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: reasoning,
    },
    dialect.reportsCost ? amount(u, 'cost') : undefined,
  );
}
