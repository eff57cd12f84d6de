/**
 * How many tokens a fake response reports, and how each provider writes them down.
 *
 * One plan in the library's disjoint buckets (`UsageBuckets`) per request; the renderers below
 * turn it into each provider's own counting (OpenAI and Gemini inclusive, Anthropic exclusive), so
 * `normalize(render(plan))` must give the plan back — which is what the instrumentation tests pin.
 */
import type { UsageBuckets } from '../../types.js';
import type { ResolvedOptions } from './options.js';
import type { FakeRequestInfo } from './types.js';

/** What the planner needs to know about a request; each endpoint module describes its body. */
export interface UsageInput extends FakeRequestInfo {
  /** `max_tokens` and friends; caps reasoning + visible output together. */
  maxOutputTokens: number | undefined;
  /** Undefined for a non-reasoning call; otherwise the most reasoning tokens allowed. */
  reasoningBudget: number | undefined;
  /** Anthropic prompt caching asked for by a `cache_control` block. */
  cacheWrite: 'none' | '5m' | '1h';
}

export interface UsagePlan {
  usage: UsageBuckets;
  /** True when the output cap cut the visible output short (finish reason `length` & co.). */
  truncated: boolean;
}

/** ⌈characters / 4⌉, at least 1: the fake provider's tokenizer. */
export function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}

/** Characters of prompt text in a request fragment: strings, and `text`/`content`/`parts` fields. */
export function promptCharacters(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + promptCharacters(item), 0);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return (
      promptCharacters(record['text']) +
      promptCharacters(record['content']) +
      promptCharacters(record['parts'])
    );
  }
  return 0;
}

/** OpenAI reasoning models: the o-series and gpt-5 (not the `-chat` variants). */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model) && !/-chat/.test(model);
}

/** Gemini 2.5 and later think by default. */
export function isGeminiThinkingModel(model: string): boolean {
  return /^(models\/)?gemini-(2\.5|[3-9])/.test(model);
}

const ZERO: UsageBuckets = {
  input: 0,
  cacheRead: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  output: 0,
  reasoning: 0,
};

/** The usage for a request: planned from it and the options, or exactly `forced` (missing fields 0). */
export function planUsage(
  input: UsageInput,
  options: ResolvedOptions,
  forced?: Partial<UsageBuckets>,
): UsagePlan {
  const cap =
    input.maxOutputTokens === undefined
      ? Number.POSITIVE_INFINITY
      : input.maxOutputTokens * options.outputCapFactor;
  const wanted = Math.max(0, Math.floor(options.outputTokens(input)));
  const reasoning =
    input.reasoningBudget === undefined ? 0 : Math.min(options.reasoningTokens, input.reasoningBudget, cap);
  const output = Math.min(wanted, Math.max(0, cap - reasoning));
  const prompt = input.promptTokens;
  const cacheRead = Math.floor(prompt * options.cacheHitRatio);
  const cacheWrite =
    input.cacheWrite === 'none'
      ? 0
      : Math.min(prompt - cacheRead, Math.floor(prompt * options.cacheWriteRatio));
  const planned: UsageBuckets = {
    input: prompt - cacheRead - cacheWrite,
    cacheRead,
    cacheWrite5m: input.cacheWrite === '5m' ? cacheWrite : 0,
    cacheWrite1h: input.cacheWrite === '1h' ? cacheWrite : 0,
    output,
    reasoning,
  };
  if (forced) return { usage: { ...ZERO, ...forced }, truncated: false };
  return { usage: planned, truncated: output < wanted };
}

/** Embeddings bill input only. */
export function planEmbeddingUsage(promptTokens: number, forced?: Partial<UsageBuckets>): UsageBuckets {
  return forced ? { ...ZERO, ...forced } : { ...ZERO, input: promptTokens };
}

const promptTotal = (u: UsageBuckets) => u.input + u.cacheRead + u.cacheWrite5m + u.cacheWrite1h;

/** OpenAI Chat Completions `usage`: prompt includes cached, completion includes reasoning. */
export function openaiChatUsage(u: UsageBuckets) {
  const prompt = promptTotal(u);
  const completion = u.output + u.reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: u.cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** OpenAI Responses `usage`: input includes cached, output includes reasoning. */
export function openaiResponsesUsage(u: UsageBuckets) {
  const input = promptTotal(u);
  const output = u.output + u.reasoning;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u.cacheRead },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: input + output,
  };
}

/** OpenAI Embeddings `usage`. */
export function openaiEmbeddingsUsage(u: UsageBuckets) {
  const prompt = promptTotal(u);
  return { prompt_tokens: prompt, total_tokens: prompt };
}

/**
 * Anthropic `usage`: `input_tokens` excludes cache reads and writes; `output_tokens` includes
 * thinking, broken out in `output_tokens_details` when there was any.
 */
export function anthropicUsage(u: UsageBuckets, serviceTier = 'standard') {
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cacheWrite5m + u.cacheWrite1h,
    cache_read_input_tokens: u.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite5m, ephemeral_1h_input_tokens: u.cacheWrite1h },
    output_tokens: u.output + u.reasoning,
    ...(u.reasoning > 0 ? { output_tokens_details: { thinking_tokens: u.reasoning } } : {}),
    service_tier: serviceTier,
  };
}

/**
 * Gemini `usageMetadata`: `promptTokenCount` includes `cachedContentTokenCount`; thoughts are
 * beside candidates. Zero counts are left out, as the API's proto JSON does. `candidatesSoFar`
 * renders an intermediate stream chunk (candidates counted up to that chunk).
 */
export function geminiUsageMetadata(u: UsageBuckets, candidatesSoFar = u.output) {
  const prompt = promptTotal(u);
  const metadata: Record<string, unknown> = { promptTokenCount: prompt };
  if (candidatesSoFar > 0) metadata['candidatesTokenCount'] = candidatesSoFar;
  metadata['totalTokenCount'] = prompt + candidatesSoFar + u.reasoning;
  if (u.cacheRead > 0) metadata['cachedContentTokenCount'] = u.cacheRead;
  metadata['promptTokensDetails'] = [{ modality: 'TEXT', tokenCount: prompt }];
  if (u.cacheRead > 0) metadata['cacheTokensDetails'] = [{ modality: 'TEXT', tokenCount: u.cacheRead }];
  if (u.reasoning > 0) metadata['thoughtsTokenCount'] = u.reasoning;
  return metadata;
}
