import type { NormalizedUsage } from '../types.js';

/**
 * The wire shapes `normalizeUsage()` understands. Which provider dialect applies (xAI reasoning
 * placement, OpenRouter cost) comes from the provider name, not from the shape.
 *
 * - `openai.chat` — Chat Completions `usage` (also DeepSeek, xAI, OpenRouter, Azure OpenAI).
 * - `openai.responses` — Responses API `usage`.
 * - `openai.embeddings` — Embeddings `usage` (`prompt_tokens`, `total_tokens`).
 * - `anthropic.messages` — Messages API `usage` (also Claude on Bedrock InvokeModel and Vertex).
 * - `gemini` — `usageMetadata` of Gemini / Vertex AI `generateContent`, camelCase or snake_case.
 * - `bedrock.converse` — Bedrock Converse / ConverseStream `usage`.
 */
export type UsageShape =
  | 'openai.chat'
  | 'openai.responses'
  | 'openai.embeddings'
  | 'anthropic.messages'
  | 'gemini'
  | 'bedrock.converse';

/**
 * Why no usage came out:
 * - `missing` — the provider reported none (`undefined` / `null`, e.g. a stream chunk without usage).
 * - `unknown_shape` — an object none of the provider's shapes recognises (no known count field).
 * - `invalid` — not an object, or a count that is not a non-negative safe integer, a cost that is not
 *   a finite non-negative number, parts larger than their inclusive whole, or a throwing getter.
 */
export type UsageProblem = 'missing' | 'unknown_shape' | 'invalid';

/** What `normalizeUsageDetailed()` returns: exactly one of `usage` or `problem` is set. */
export interface UsageResult {
  usage?: NormalizedUsage;
  problem?: UsageProblem;
  /** The shape that was read (detected or forced); absent when none applied. */
  shape?: UsageShape;
}
