/**
 * Gemini / Vertex AI `usageMetadata` (`GenerateContentResponseUsageMetadata` in @google/genai),
 * camelCase as the APIs send it or snake_case as in the proto field names (Python SDK dumps, Vertex
 * request-response logs). Per the SDK docs:
 * - `promptTokenCount` includes `cachedContentTokenCount` ("When `cached_content` is set, this also
 *   includes the number of tokens in the cached content").
 * - `totalTokenCount` "is the sum of prompt_token_count, candidates_token_count,
 *   tool_use_prompt_token_count, and thoughts_token_count": so tool-use results are input beside the
 *   prompt (billed as input, added to `inputTokens`) and thoughts are output beside the candidates
 *   (billed as output, added to `outputTokens` and reported as `reasoningTokens`).
 * When the total shows that candidates already include the thoughts, they are not added twice.
 */
import type { NormalizedUsage } from '../types.js';
import { checkInclusive } from './inclusive.js';
import { countEither, type RawRecord, reportedBeside } from './read.js';
import type { UsageProblem } from './types.js';

export function normalizeGemini(u: RawRecord): NormalizedUsage | UsageProblem {
  const prompt = countEither(u, 'promptTokenCount', 'prompt_token_count');
  const candidates = countEither(u, 'candidatesTokenCount', 'candidates_token_count');
  const thoughts = countEither(u, 'thoughtsTokenCount', 'thoughts_token_count');
  const total = countEither(u, 'totalTokenCount', 'total_token_count');
  if (prompt === undefined && candidates === undefined && thoughts === undefined && total === undefined) {
    return 'unknown_shape';
  }
  if (Number.isNaN(total)) return 'invalid';
  const input =
    (prompt ?? 0) + (countEither(u, 'toolUsePromptTokenCount', 'tool_use_prompt_token_count') ?? 0);
  const generated = candidates ?? 0;
  const reasoning = thoughts ?? 0;
  const beside = reportedBeside(total, input + generated, reasoning, true);
  return checkInclusive(
    {
      inputTokens: input,
      outputTokens: beside ? generated + reasoning : generated,
      cacheReadTokens: countEither(u, 'cachedContentTokenCount', 'cached_content_token_count') ?? 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: reasoning,
    },
    undefined,
  );
}
