/**
 * `normalizeUsage()`: one provider response's raw `usage` → inclusive `NormalizedUsage`.
 *
 * Every result has all six token fields (0 when the provider reported none), plus `costUsd` when the
 * provider reported a cost. Pure and never throws: raw usage is hostile (throwing getters, proxies,
 * strings, NaN); anything unreadable is the problem `invalid`. Only fixed paths are read, so
 * circular objects are harmless.
 */
import type { NormalizedUsage, ProviderName } from '../types.js';
import { normalizeAnthropicMessages } from './anthropic-messages.js';
import { normalizeBedrockConverse } from './bedrock-converse.js';
import { detectShape } from './detect.js';
import { dialectOf, type UsageDialect } from './dialect.js';
import { normalizeGemini } from './gemini.js';
import { normalizeOpenAIChat } from './openai-chat.js';
import { normalizeOpenAIEmbeddings } from './openai-embeddings.js';
import { normalizeOpenAIResponses } from './openai-responses.js';
import type { RawRecord } from './read.js';
import type { UsageProblem, UsageResult, UsageShape } from './types.js';

type ShapeNormalizer = (u: RawRecord, dialect: UsageDialect) => NormalizedUsage | UsageProblem;

const NORMALIZERS: Readonly<Record<UsageShape, ShapeNormalizer>> = {
  'openai.chat': normalizeOpenAIChat,
  'openai.responses': normalizeOpenAIResponses,
  'openai.embeddings': normalizeOpenAIEmbeddings,
  'anthropic.messages': normalizeAnthropicMessages,
  gemini: normalizeGemini,
  'bedrock.converse': normalizeBedrockConverse,
};

const MISSING: UsageResult = Object.freeze({ problem: 'missing' });
const UNKNOWN_SHAPE: UsageResult = Object.freeze({ problem: 'unknown_shape' });
const INVALID: UsageResult = Object.freeze({ problem: 'invalid' });

/**
 * Inclusive usage of one call, or `undefined` when there is none to record (missing, unknown shape
 * or invalid — `normalizeUsageDetailed()` says which). Allocates only the returned object.
 * @param provider OTel `gen_ai.provider.name`; selects the shapes tried and the provider's dialect.
 * @param rawUsage the response's `usage` / `usageMetadata` object, as received.
 * @param shape read as this shape instead of detecting it from the fields present.
 */
export function normalizeUsage(
  provider: ProviderName,
  rawUsage: unknown,
  shape?: UsageShape,
): NormalizedUsage | undefined {
  const dialect = dialectOf(provider);
  const resolved = resolveShape(rawUsage, dialect, shape);
  if (isProblem(resolved)) return undefined;
  const usage = read(resolved, rawUsage as RawRecord, dialect);
  return typeof usage === 'string' ? undefined : usage;
}

/** Like `normalizeUsage()`, but says why there is no usage and which shape was read. */
export function normalizeUsageDetailed(
  provider: ProviderName,
  rawUsage: unknown,
  shape?: UsageShape,
): UsageResult {
  const dialect = dialectOf(provider);
  const resolved = resolveShape(rawUsage, dialect, shape);
  if (isProblem(resolved)) return problem(resolved);
  const usage = read(resolved, rawUsage as RawRecord, dialect);
  return typeof usage === 'string' ? problem(usage) : { usage, shape: resolved };
}

function isProblem(value: UsageShape | UsageProblem): value is UsageProblem {
  return value === 'missing' || value === 'unknown_shape' || value === 'invalid';
}

function problem(reason: UsageProblem): UsageResult {
  return reason === 'missing' ? MISSING : reason === 'unknown_shape' ? UNKNOWN_SHAPE : INVALID;
}

/** The shape to read `raw` as, or why it cannot be read. */
function resolveShape(
  raw: unknown,
  dialect: UsageDialect,
  forced: UsageShape | undefined,
): UsageShape | UsageProblem {
  if (raw === undefined || raw === null) return 'missing';
  if (typeof raw !== 'object') return 'invalid';
  try {
    // Array.isArray and `in` throw on revoked or hostile proxies.
    if (Array.isArray(raw)) return 'invalid';
    const shape = forced ?? detectShape(raw as RawRecord, dialect);
    return shape !== undefined && Object.hasOwn(NORMALIZERS, shape) ? shape : 'unknown_shape';
  } catch {
    return 'invalid';
  }
}

function read(shape: UsageShape, raw: RawRecord, dialect: UsageDialect): NormalizedUsage | UsageProblem {
  try {
    return NORMALIZERS[shape](raw, dialect);
  } catch {
    return 'invalid';
  }
}
