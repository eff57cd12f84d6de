/**
 * Anthropic Messages `usage` (`Usage` / `MessageDeltaUsage` in @anthropic-ai/sdk). `input_tokens`
 * counts only the prompt after the last cache breakpoint: "total_input_tokens =
 * cache_read_input_tokens + cache_creation_input_tokens + input_tokens" (docs.claude.com, prompt
 * caching). `cache_creation.ephemeral_5m/1h_input_tokens` split the writes by TTL; without
 * `cache_creation` (older API versions) every write is a 5-minute write. `output_tokens` includes
 * `output_tokens_details.thinking_tokens` (SDK: "`output_tokens` remains the inclusive, authoritative
 * total"). Also the shape of Claude on Bedrock InvokeModel and Vertex AI, and DeepSeek's
 * Anthropic-compatible API.
 */
import type { NormalizedUsage } from '../types.js';
import { checkInclusive } from './inclusive.js';
import { child, count, type RawRecord } from './read.js';
import type { UsageProblem } from './types.js';

export function normalizeAnthropicMessages(u: RawRecord): NormalizedUsage | UsageProblem {
  const input = count(u, 'input_tokens');
  const output = count(u, 'output_tokens');
  const cacheRead = count(u, 'cache_read_input_tokens');
  const cacheCreation = count(u, 'cache_creation_input_tokens');
  if (input === undefined && output === undefined && cacheRead === undefined && cacheCreation === undefined) {
    return 'unknown_shape';
  }
  const byTtl = child(u, 'cache_creation');
  const write5m = count(byTtl, 'ephemeral_5m_input_tokens');
  const write1h = count(byTtl, 'ephemeral_1h_input_tokens') ?? 0;
  // The flat total is authoritative; the TTL split only says which part of it is 1-hour.
  const cacheWrite = cacheCreation ?? (write5m ?? 0) + write1h;
  return checkInclusive(
    {
      inputTokens: (input ?? 0) + (cacheRead ?? 0) + cacheWrite,
      outputTokens: output ?? 0,
      cacheReadTokens: cacheRead ?? 0,
      cacheWriteTokens: cacheWrite,
      cacheWrite1hTokens: write1h,
      reasoningTokens: count(child(u, 'output_tokens_details'), 'thinking_tokens') ?? 0,
    },
    undefined,
  );
}
