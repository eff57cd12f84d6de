/**
 * Vercel AI SDK usage → our inclusive `TokenUsage`. Three shapes are read:
 *
 * - `LanguageModelV3Usage` (provider spec v3, what `doGenerate`/`doStream` return in `ai` 6):
 *   `inputTokens: { total, noCache, cacheRead, cacheWrite }`,
 *   `outputTokens: { total, text, reasoning }`, `raw` (the provider's own usage object).
 * - `LanguageModelV2Usage` (`ai` 5 providers): numbers `inputTokens`, `outputTokens`,
 *   `reasoningTokens`, `cachedInputTokens`.
 * - `ai`'s result-level `LanguageModelUsage`: numbers `inputTokens` / `outputTokens` with
 *   `inputTokenDetails.{noCacheTokens,cacheReadTokens,cacheWriteTokens}` and
 *   `outputTokenDetails.{textTokens,reasoningTokens}`.
 *
 * Totals are inclusive by the spec (input includes cache reads and writes, output includes
 * reasoning). Should a provider report parts larger than their total, the total is read as
 * exclusive and the parts are added to it, so the buckets never go negative. From `raw` we take
 * only what the structured fields cannot say: Anthropic's 1-hour share of cache writes and a
 * provider-reported cost (OpenRouter `usage.cost`), via `normalizeUsage()`.
 */
import type { TokenUsage } from '../../types.js';
import { normalizeUsage } from '../../usage/normalize.js';

export interface AiSdkUsage {
  usage?: TokenUsage;
  /** Provider-reported cost, USD. */
  costUsd?: number;
}

type Rec = Record<string, unknown>;

function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null;
}

/** A non-negative safe integer, else undefined. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function field(record: unknown, key: string): unknown {
  return isRecord(record) ? record[key] : undefined;
}

function sumDefined(...values: (number | undefined)[]): number | undefined {
  let sum: number | undefined;
  for (const v of values) if (v !== undefined) sum = (sum ?? 0) + v;
  return sum;
}

/** Read any of the AI SDK usage shapes; never throws. */
export function readAiSdkUsage(provider: string, raw: unknown): AiSdkUsage {
  try {
    return readUnsafe(provider, raw);
  } catch {
    return {};
  }
}

function readUnsafe(provider: string, u: unknown): AiSdkUsage {
  if (!isRecord(u)) return {};
  const inTok = u['inputTokens'];
  const outTok = u['outputTokens'];
  let totalIn: number | undefined;
  let noCache: number | undefined;
  let cacheRead: number | undefined;
  let cacheWrite: number | undefined;
  let totalOut: number | undefined;
  let text: number | undefined;
  let reasoning: number | undefined;
  if (isRecord(inTok) || isRecord(outTok)) {
    // V3
    totalIn = count(field(inTok, 'total'));
    noCache = count(field(inTok, 'noCache'));
    cacheRead = count(field(inTok, 'cacheRead'));
    cacheWrite = count(field(inTok, 'cacheWrite'));
    totalOut = count(field(outTok, 'total'));
    text = count(field(outTok, 'text'));
    reasoning = count(field(outTok, 'reasoning'));
  } else {
    // V2 or result-level usage
    totalIn = count(inTok);
    totalOut = count(outTok);
    const inDetails = u['inputTokenDetails'];
    const outDetails = u['outputTokenDetails'];
    noCache = count(field(inDetails, 'noCacheTokens'));
    cacheRead = count(field(inDetails, 'cacheReadTokens')) ?? count(u['cachedInputTokens']);
    cacheWrite = count(field(inDetails, 'cacheWriteTokens'));
    text = count(field(outDetails, 'textTokens'));
    reasoning = count(field(outDetails, 'reasoningTokens')) ?? count(u['reasoningTokens']);
  }

  const cached = (cacheRead ?? 0) + (cacheWrite ?? 0);
  let input = totalIn ?? sumDefined(noCache, cacheRead, cacheWrite);
  if (input !== undefined && input < cached) input += cached;
  let output = totalOut ?? sumDefined(text, reasoning);
  if (output !== undefined && reasoning !== undefined && output < reasoning) output += reasoning;
  if (input === undefined && output === undefined) return {};

  const usage: TokenUsage = { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  if (cacheRead) usage.cacheReadTokens = cacheRead;
  if (cacheWrite) usage.cacheWriteTokens = cacheWrite;
  if (reasoning) usage.reasoningTokens = reasoning;

  const result: AiSdkUsage = { usage };
  const providerRaw = u['raw'];
  if (isRecord(providerRaw)) {
    const n = normalizeUsage(provider, providerRaw);
    if (n) {
      const oneHour = n.cacheWrite1hTokens ?? 0;
      if (oneHour > 0 && oneHour <= (usage.cacheWriteTokens ?? 0)) usage.cacheWrite1hTokens = oneHour;
      if (n.costUsd !== undefined) result.costUsd = n.costUsd;
    }
  }
  return result;
}
