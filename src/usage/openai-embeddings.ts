/** OpenAI Embeddings `usage` (`CreateEmbeddingResponse.Usage`): `prompt_tokens`, `total_tokens`; no output. */
import type { NormalizedUsage } from '../types.js';
import type { UsageDialect } from './dialect.js';
import { checkInclusive } from './inclusive.js';
import { amount, count, type RawRecord } from './read.js';
import type { UsageProblem } from './types.js';

export function normalizeOpenAIEmbeddings(
  u: RawRecord,
  dialect: UsageDialect,
): NormalizedUsage | UsageProblem {
  const prompt = count(u, 'prompt_tokens');
  const total = count(u, 'total_tokens');
  if (prompt === undefined && total === undefined) return 'unknown_shape';
  return checkInclusive(
    {
      // Number.isNaN(total) folds an unreadable total into the input so it is rejected too.
      inputTokens: Number.isNaN(total) ? Number.NaN : (prompt ?? total ?? 0),
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    },
    dialect.reportsCost ? amount(u, 'cost') : undefined,
  );
}
