/**
 * `estimateCost(request)`: the cost range of an SDK request before it is sent. Input is counted
 * exactly as the budget guard counts it (`estimateInputTokens`), output is bounded by the
 * request's cap (`requestedMaxOutputTokens`) or else what the model's context window leaves —
 * the same estimator functions the guard uses, so an estimate and a guard reservation agree.
 *
 * The range: at least every prompt token read from the cache and no output; at most every prompt
 * token at the dearer of the input and cache-write rates, plus the whole output cap at the dearer
 * of the output and reasoning rates, at the long-context tier the prompt falls in.
 */
import { estimateRequestCost, requestedOutputCap } from '../budgets/estimate/index.js';
import { catalogProviderId, findCatalogModel } from '../pricing/catalog.js';
import { defaultPriceBook, type PriceBook } from '../pricing/index.js';
import { selectLevel } from '../pricing/rates.js';
import type { PriceEntry } from '../types.js';
import { modelKind, pricesCacheReads } from './model-traits.js';
import { ratesOf } from './reprice.js';

const INPUT_BOUND_TEXT = {
  tokenizer: "prompt tokens counted with the model's tokenizer, as the budget guard counts them",
  bytes:
    'prompt tokens bounded by the UTF-8 bytes of the prompt (no tokenizer yields more), as the budget guard counts them',
  context_window:
    "the prompt could not be sized: bounded by the model's context window, as the budget guard does",
} as const;

export interface CostEstimateRequest {
  /** `openai`, `anthropic`, `gcp.gemini`, … */
  provider: string;
  /** Default: the body's `model` field. */
  model?: string;
  /** The request body as passed to the SDK (`chat.completions.create`, `messages.create`, `generateContent`). */
  body: unknown;
  /** Default: the bundled catalog. */
  priceBook?: PriceBook;
  /** Prices in effect at this time. Default now. */
  at?: Date | number;
}

/** Where the output bound came from. */
export type OutputBound = 'max_tokens' | 'context-window' | 'guard-default' | 'embeddings';

interface EstimateCommon {
  provider: string;
  model: string;
  /** Prompt tokens as the budget guard counts them (characters / 4 over the prompt fields). */
  inputTokens: number;
  /** At most this many output tokens, reasoning included. */
  maxOutputTokens: number;
  outputBound: OutputBound;
  /** What the range leaves out or assumes, one sentence each. */
  assumptions: string[];
}

export type CostEstimate =
  | (EstimateCommon & { priced: true; minUsd: number; maxUsd: number; entry: PriceEntry })
  | (EstimateCommon & { priced: false; message: string });

const IMAGE_PART =
  /"(image_url|input_image|inlineData|inline_data|fileData|file_data|input_audio)"|"type":"(image|document|input_file)"/;

export function estimateCost(request: CostEstimateRequest): CostEstimate {
  const book = request.priceBook ?? defaultPriceBook();
  const at =
    request.at === undefined
      ? Date.now()
      : typeof request.at === 'number'
        ? request.at
        : request.at.getTime();
  const body = request.body;
  const bodyModel =
    body !== null && typeof body === 'object' ? (body as Record<string, unknown>).model : undefined;
  const model = request.model ?? (typeof bodyModel === 'string' ? bodyModel : '');
  // The budget guard's own estimator: one count for a reservation and an estimate.
  const guard = estimateRequestCost({ provider: request.provider, model, body }, book);
  const inputTokens = guard.inputTokens;
  const assumptions: string[] = [INPUT_BOUND_TEXT[guard.inputBound]];
  if (guard.unboundedReason !== undefined) assumptions.push(guard.unboundedReason);
  if (hasMedia(body) && guard.inputBound !== 'context_window') {
    assumptions.push("images and audio counted by the providers' published rules (or a stated bound)");
  }
  const rates = ratesOf(book, { provider: request.provider, model }, at);
  const cap = requestedOutputCap(body);
  // Without a cap: the model's maximum output, as the guard reserves it.
  const modelMaxOutput = guard.maxOutputTokens;
  if (!('levels' in rates)) {
    const maxOutputTokens = cap ?? modelMaxOutput;
    return {
      priced: false,
      provider: request.provider,
      model,
      inputTokens,
      maxOutputTokens,
      outputBound: cap === undefined ? 'guard-default' : 'max_tokens',
      assumptions,
      message: rates.message,
    };
  }
  const base = rates.levels[0]!;
  let maxOutputTokens: number;
  let outputBound: OutputBound;
  if (modelKind(base.entry.model) === 'embeddings') {
    maxOutputTokens = 0;
    outputBound = 'embeddings';
  } else if (cap !== undefined) {
    maxOutputTokens = cap;
    outputBound = 'max_tokens';
  } else {
    const window = contextWindow(request.provider, base.entry.model);
    if (window !== undefined) {
      maxOutputTokens = Math.max(0, window - inputTokens);
      outputBound = 'context-window';
      assumptions.push(
        `no max_tokens: output bounded by what the ${window.toLocaleString('en-US')}-token context window leaves`,
      );
    } else {
      maxOutputTokens = modelMaxOutput;
      outputBound = 'guard-default';
      assumptions.push(
        `no max_tokens and no known context window: output bounded by the model's maximum output as the guard reserves it (${modelMaxOutput})`,
      );
    }
  }
  const level = selectLevel(rates.levels, inputTokens);
  const r = level.rates;
  const minInputRate = pricesCacheReads(r) ? Math.min(r.cacheRead, r.input) : r.input;
  // 1-hour cache writes only when the request asks for them (Anthropic `ttl: '1h'`).
  const maxInputRate = Math.max(r.input, r.cacheWrite5m, asksOneHourCache(body) ? r.cacheWrite1h : 0);
  const minUsd = (inputTokens * minInputRate) / 1e6;
  const maxUsd = (inputTokens * maxInputRate + maxOutputTokens * Math.max(r.output, r.reasoning)) / 1e6;
  return {
    priced: true,
    provider: request.provider,
    model,
    inputTokens,
    maxOutputTokens,
    outputBound,
    assumptions,
    minUsd,
    maxUsd,
    entry: level.entry,
  };
}

function contextWindow(provider: string, catalogModel: string): number | undefined {
  const providerId = catalogProviderId(provider);
  if (providerId === null) return undefined;
  return findCatalogModel(providerId, catalogModel.toLowerCase())?.model.context_window;
}

function bodyText(body: unknown): string {
  try {
    return JSON.stringify(body) ?? '';
  } catch {
    return '';
  }
}

function hasMedia(body: unknown): boolean {
  return IMAGE_PART.test(bodyText(body));
}

function asksOneHourCache(body: unknown): boolean {
  return bodyText(body).includes('"ttl":"1h"');
}
