/**
 * `estimateRequestCost()`: the most (and the least) one request can cost, before it is sent —
 * what the budget guard reserves, and what a caller may show before spending. Pure: no guard
 * state; the only shared state is the lazily loaded tokenizer (see text-tokens.ts).
 *
 * Upper bound = input tokens × input rate + output cap × output rate, where
 * - input tokens: text through the model's tokenizer (OpenAI) or UTF-8 bytes (others), plus 4
 *   tokens per message/part object and 3 per request (OpenAI's published per-message framing is
 *   3 + 3), plus images and audio by media-tokens.ts; when the prompt cannot be bounded (a file,
 *   an image of unknown size for Gemini, a body too large or deep to walk) the model's whole
 *   context window. Never more than the context window: a longer prompt is rejected, not billed
 *   (unless the catalog prices prompts past its window; then 2M tokens, see `inputLimit`).
 * - output cap: `max_completion_tokens` / `max_tokens` / `max_output_tokens` /
 *   `maxOutputTokens` (Gemini `config`/`generationConfig`, the AI SDK), × `n` / `candidateCount`
 *   choices; else the model's published maximum output (model-limits.ts). Embeddings: 0.
 * - rates: the price book's, long-context tier chosen by the bounded input (tiers only rise).
 */
import type { PriceBook } from '../../pricing/price-book.js';
import type { PriceEntry } from '../../types.js';
import type { ModelFamily } from './media-tokens.js';
import { contextWindow, maxOutputTokens, UNKNOWN_CONTEXT_WINDOW } from './model-limits.js';
import { promptParts } from './prompt-parts.js';
import { countTextTokens, openaiEncoding } from './text-tokens.js';

export { preloadTokenizers } from './text-tokens.js';

export interface EstimateRequest {
  /** `gen_ai.provider.name` value: `openai`, `anthropic`, `gcp.gemini`, … */
  provider: string;
  /** The request model, as priced. */
  model: string;
  /** `chat`, `embeddings`, `generate_content`, …; embeddings produce no output tokens. */
  apiOperation?: string;
  /** The request body as the SDK method received it. */
  body: unknown;
}

/** How the input count was bounded: the model's tokenizer, UTF-8 bytes, or the context window. */
export type InputBound = 'tokenizer' | 'bytes' | 'context_window';

export interface CostEstimate {
  /** Upper bound on the billed input tokens. */
  inputTokens: number;
  inputBound: InputBound;
  /** Why the prompt could not be sized (`inputBound: 'context_window'`). */
  unboundedReason?: string;
  /** Upper bound on the output tokens (reasoning included). */
  maxOutputTokens: number;
  /** True when the request itself set the output cap (else the model's maximum was used). */
  outputCapRequested: boolean;
  /** Cost of the input alone, no output, USD; undefined when unpriced. */
  minUsd?: number;
  /** The most the request can cost, USD; undefined when unpriced. */
  maxUsd?: number;
  /** The price used; undefined when the model cannot be priced. */
  entry?: PriceEntry;
  /** Why it could not be priced. */
  unpricedReason?: string;
}

const PER_OBJECT_TOKENS = 4;
const PER_REQUEST_TOKENS = 3;

export function estimateRequestCost(request: EstimateRequest, priceBook: PriceBook): CostEstimate {
  const { provider, model, body } = request;
  const family = familyOf(provider, model);
  // Price first with nothing: it names the catalog entry, whose context window bounds the input.
  const probe = priceBook.price({ provider, model, usage: { inputTokens: 0, outputTokens: 0 } });
  const entry = probe.priced ? probe.entry : undefined;
  const window = inputLimit(priceBook, provider, model, entry);

  const parts = promptParts(body, family, model);
  let inputTokens: number;
  let inputBound: InputBound;
  if (parts.unbounded !== undefined) {
    inputTokens = window;
    inputBound = 'context_window';
  } else {
    const text = countTextTokens(parts.text, family === 'openai' ? openaiEncoding(model) : undefined);
    inputTokens = text.tokens + parts.objects * PER_OBJECT_TOKENS + PER_REQUEST_TOKENS + parts.mediaTokens;
    inputBound = text.method;
    if (inputTokens >= window) {
      inputTokens = window;
      inputBound = 'context_window';
    }
  }

  const requested = request.apiOperation === 'embeddings' ? 0 : requestedOutputCap(body);
  const outputCap = requested ?? maxOutputTokens(model, entry);
  const outputTokens = outputCap * choices(body);

  const estimate: CostEstimate = {
    inputTokens,
    inputBound,
    maxOutputTokens: outputTokens,
    outputCapRequested: requested !== undefined,
  };
  if (parts.unbounded !== undefined) estimate.unboundedReason = parts.unbounded;
  if (!probe.priced) {
    estimate.unpricedReason = probe.message;
    return estimate;
  }
  const serviceTier = stringField(body, 'service_tier');
  const max = priceBook.price({ provider, model, usage: { inputTokens, outputTokens }, serviceTier });
  const min = priceBook.price({ provider, model, usage: { inputTokens, outputTokens: 0 }, serviceTier });
  if (!max.priced || !min.priced) {
    estimate.unpricedReason = max.priced ? (min as { message: string }).message : max.message;
    return estimate;
  }
  estimate.maxUsd = max.costUsd;
  estimate.minUsd = min.costUsd;
  estimate.entry = max.entry;
  return estimate;
}

/**
 * The context window, unless the catalog prices a long-context tier starting at or past it (Claude
 * Sonnet 4/4.5: a 200k window, and a tier for beta 1M prompts): then the window is not a limit we
 * can trust, and the largest window offered today stands in.
 */
function inputLimit(
  priceBook: PriceBook,
  provider: string,
  model: string,
  entry: PriceEntry | undefined,
): number {
  const window = contextWindow(entry);
  if (entry === undefined || window === UNKNOWN_CONTEXT_WINDOW) return window;
  const past = priceBook.price({ provider, model, usage: { inputTokens: window + 1, outputTokens: 0 } });
  const tier = past.priced ? past.entry.tierStartTokens : undefined;
  return tier !== undefined && tier >= window ? UNKNOWN_CONTEXT_WINDOW : window;
}

/**
 * The output cap a request sets: OpenAI `max_completion_tokens` / `max_tokens` /
 * `max_output_tokens`, Anthropic `max_tokens`, Gemini `config.maxOutputTokens` /
 * `generationConfig.maxOutputTokens`, AI SDK `maxOutputTokens`. Undefined when none is set.
 */
export function requestedOutputCap(body: unknown): number | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const r = body as Record<string, unknown>;
  return (
    count(r.max_completion_tokens) ??
    count(r.max_tokens) ??
    count(r.max_output_tokens) ??
    count(r.maxOutputTokens) ??
    count(nested(r.config, 'maxOutputTokens')) ??
    count(nested(r.generationConfig, 'maxOutputTokens'))
  );
}

/** Completions one request asks for (`n`, Gemini `candidateCount`): each bills its own output. */
function choices(body: unknown): number {
  if (body === null || typeof body !== 'object') return 1;
  const r = body as Record<string, unknown>;
  const n =
    count(r.n) ??
    count(nested(r.config, 'candidateCount')) ??
    count(nested(r.generationConfig, 'candidateCount'));
  return n !== undefined && n > 1 ? n : 1;
}

/** Whose counting rules apply: by provider, and by model name where a cloud serves several families. */
export function familyOf(provider: string, model: string): ModelFamily {
  if (provider === 'openai' || provider === 'azure.ai.openai') return 'openai';
  if (provider === 'anthropic' || /claude/i.test(model)) return 'anthropic';
  if (provider.startsWith('gcp.') && /gemini/i.test(model)) return 'gemini';
  return 'other';
}

function stringField(body: unknown, key: string): string | undefined {
  const value =
    body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function nested(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
