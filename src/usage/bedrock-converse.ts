/**
 * AWS Bedrock Converse / ConverseStream `usage` (`TokenUsage`, docs.aws.amazon.com/bedrock/latest/
 * APIReference/API_runtime_TokenUsage.html). `inputTokens` excludes `cacheReadInputTokens` and
 * `cacheWriteInputTokens`; `totalTokens` includes them. AWS's reference does not say so in words;
 * the sources are AWS's quota formula "InputTokenCount + CacheWriteInputTokens + …" (Bedrock user
 * guide, quotas) and the integrations that measured it: BerriAI/litellm#9221,
 * maximhq/bifrost#1872, anomalyco/opencode#38427, sashiko-dev/sashiko#113. Some models were seen
 * reporting cache inside `inputTokens` (maximhq/bifrost#6942), so `totalTokens` decides per response
 * when it can. `cacheDetails` (`CacheDetail`: `ttl` "5m" | "1h", `inputTokens`) splits the writes.
 * Bedrock does not report reasoning separately from `outputTokens`.
 */
import type { NormalizedUsage } from '../types.js';
import { checkInclusive } from './inclusive.js';
import { count, type RawRecord, reportedBeside } from './read.js';
import type { UsageProblem } from './types.js';

/** Bedrock allows 4 cache checkpoints; this bounds the loop over a hostile array. */
const MAX_CACHE_DETAILS = 64;

export function normalizeBedrockConverse(u: RawRecord): NormalizedUsage | UsageProblem {
  const input = count(u, 'inputTokens');
  const output = count(u, 'outputTokens');
  const total = count(u, 'totalTokens');
  if (input === undefined && output === undefined && total === undefined) return 'unknown_shape';
  if (Number.isNaN(total)) return 'invalid';
  const cacheRead = count(u, 'cacheReadInputTokens') ?? 0;
  const cacheWrite = count(u, 'cacheWriteInputTokens') ?? 0;
  const generated = output ?? 0;
  const cached = cacheRead + cacheWrite;
  const beside = reportedBeside(total, (input ?? 0) + generated, cached, true);
  return checkInclusive(
    {
      inputTokens: beside ? (input ?? 0) + cached : (input ?? 0),
      outputTokens: generated,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      cacheWrite1hTokens: oneHourWrites(u['cacheDetails']),
      reasoningTokens: 0,
    },
    undefined,
  );
}

/** Sum of the 1-hour `cacheDetails` entries; NaN when the list is malformed. */
function oneHourWrites(details: unknown): number {
  if (details === undefined || details === null) return 0;
  if (!Array.isArray(details)) return Number.NaN;
  let sum = 0;
  const n = Math.min(details.length, MAX_CACHE_DETAILS);
  for (let i = 0; i < n; i++) {
    const entry: unknown = details[i];
    if (typeof entry !== 'object' || entry === null) return Number.NaN;
    const record = entry as RawRecord;
    if (record['ttl'] === '1h') sum += count(record, 'inputTokens') ?? Number.NaN;
  }
  return sum;
}
