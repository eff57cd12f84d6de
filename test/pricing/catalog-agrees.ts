/**
 * Test helper: what genai-prices' own `calcPrice` charges for the same inclusive usage, so each
 * hand-computed case also checks that our precomputed rates agree with the catalog.
 */
import { calcPrice } from '@pydantic/genai-prices';
import type { TokenUsage } from '../../src/types.js';

export function catalogTotal(providerId: string, model: string, usage: TokenUsage, timestamp?: Date): number {
  const result = calcPrice(
    {
      input_tokens: usage.inputTokens,
      cache_read_tokens: usage.cacheReadTokens,
      cache_write_tokens: usage.cacheWriteTokens,
      cache_write_1h_tokens: usage.cacheWrite1hTokens,
      output_tokens: usage.outputTokens,
      output_reasoning_tokens: usage.reasoningTokens,
    },
    model,
    { providerId, timestamp },
  );
  if (!result) throw new Error(`genai-prices has no price for ${providerId}/${model}`);
  return result.total_price;
}
