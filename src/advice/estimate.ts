/**
 * `estimateCost(request)`: the cost range of an SDK request before it is sent. Token counts come
 * from the budget guard's own estimator (`estimateRequestCost`): input as the guard counts it
 * (the model's tokenizer for OpenAI, UTF-8 bytes for others, images and audio by the providers'
 * published rules), output bounded by the request's cap × its choices, else the model's published
 * maximum output — so an estimate and a guard reservation never disagree on a token.
 *
 * The range, over those counts: at least every prompt token read from the cache and no output; at
 * most every prompt token at the dearest of the input and cache-write rates, plus the whole output
 * bound at the dearer of the output and reasoning rates — all priced by the price book, so the
 * long-context tier the prompt falls in and the request's `service_tier` apply.
 */
import { estimateRequestCost, familyOf, preloadTokenizers } from '../budgets/estimate/index.js';
import { openaiEncoding } from '../budgets/estimate/text-tokens.js';
import { defaultPriceBook, type PriceBook } from '../pricing/index.js';
import type { PriceEntry, TokenUsage } from '../types.js';
import { modelKind } from './model-traits.js';
import { priceTimeMs } from './price-time.js';

/**
 * Loads the OpenAI tokenizers (once; ~120 ms). Until it resolves, OpenAI prompts are bounded by
 * their UTF-8 bytes instead of counted, and the estimate says so. The budget guard loads them when
 * it is on; `llm-cost estimate` awaits this before estimating.
 */
export { preloadTokenizers };

const INPUT_BOUND_TEXT = {
  tokenizer: "prompt tokens counted with the model's tokenizer, as the budget guard counts them",
  bytes:
    'prompt tokens bounded by the UTF-8 bytes of the prompt (no tokenizer yields more), as the budget guard counts them',
  context_window:
    "the prompt could not be sized: bounded by the model's context window, as the budget guard does",
} as const;

/** When the prompt is bounded rather than counted, the low end takes it at that bound too. */
const LOW_END = {
  bytes:
    'the low end takes the prompt at its byte bound (text averages 3–4 bytes per token), so a real call can cost less',
  context_window: 'the low end takes the prompt at the whole context window, so a real call can cost less',
} as const;
/** Why an OpenAI prompt was bounded by its bytes instead of counted. */
const OPENAI_BYTES = {
  noEncoding: 'no OpenAI tokenizer is known for this model: the prompt is bounded by its bytes',
  notCounted:
    'the prompt is bounded by its bytes: the OpenAI tokenizer was not loaded yet (await preloadTokenizers() first), or the prompt passed 200,000 characters',
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

/**
 * Where the output bound came from: the request's own cap (`max_tokens`, `max_completion_tokens`,
 * `max_output_tokens`, `maxOutputTokens`; × `n` / `candidateCount`), the model's published
 * maximum output (its context window where none is published), or none (embeddings).
 */
export type OutputBound = 'max_tokens' | 'model-maximum' | 'embeddings';

interface EstimateCommon {
  provider: string;
  model: string;
  /** Upper bound on the prompt tokens, as the budget guard counts them. */
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
  const at = priceTimeMs(request.at);
  const body = request.body;
  const bodyModel =
    body !== null && typeof body === 'object' ? (body as Record<string, unknown>).model : undefined;
  const model = request.model ?? (typeof bodyModel === 'string' ? bodyModel : '');
  const serviceTier = stringField(body, 'service_tier');
  const priceAt = (usage: TokenUsage) =>
    book.price({ provider: request.provider, model, usage, serviceTier, timestamp: at });
  const probe = priceAt({ inputTokens: 0, outputTokens: 0 });
  // Embedding models bill no output: the guard needs the API operation to know it.
  const embeddings = modelKind(probe.priced ? probe.entry.model : model) === 'embeddings';
  const openai = familyOf(request.provider, model) === 'openai';
  if (openai) void preloadTokenizers();
  // The budget guard's own estimator: one count for a reservation and an estimate.
  const guard = estimateRequestCost(
    { provider: request.provider, model, body, apiOperation: embeddings ? 'embeddings' : undefined },
    book,
  );
  const inputTokens = guard.inputTokens;
  const maxOutputTokens = guard.maxOutputTokens;
  const outputBound: OutputBound = embeddings
    ? 'embeddings'
    : guard.outputCapRequested
      ? 'max_tokens'
      : 'model-maximum';
  const assumptions: string[] = [INPUT_BOUND_TEXT[guard.inputBound]];
  if (guard.unboundedReason !== undefined) assumptions.push(guard.unboundedReason);
  if (guard.inputBound === 'bytes' && openai) {
    assumptions.push(openaiEncoding(model) === undefined ? OPENAI_BYTES.noEncoding : OPENAI_BYTES.notCounted);
  }
  if (guard.inputBound !== 'tokenizer') assumptions.push(LOW_END[guard.inputBound]);
  if (hasMedia(body) && guard.inputBound !== 'context_window') {
    assumptions.push("images and audio counted by the providers' published rules (or a stated bound)");
  }
  if (outputBound === 'model-maximum') {
    assumptions.push(
      `no output cap in the request: output bounded by the model's maximum output (${maxOutputTokens.toLocaleString('en-US')} tokens)`,
    );
  }
  const common = {
    provider: request.provider,
    model,
    inputTokens,
    maxOutputTokens,
    outputBound,
    assumptions,
  };
  if (!probe.priced) return { priced: false, ...common, message: probe.message };
  // Through the price book, so the long-context tier, the service tier (`service_tier`: flex,
  // priority, …) and the prices in effect at `at` all apply. Low end: every prompt token read from
  // the cache (or at the input rate, if cheaper), no output. High end: every prompt token at the
  // dearest of input and cache writes (1-hour ones only when the request asks for them), the whole
  // output bound at the dearer of output and reasoning.
  const N = inputTokens;
  const M = maxOutputTokens;
  const low = [
    priceAt({ inputTokens: N, outputTokens: 0 }),
    priceAt({ inputTokens: N, outputTokens: 0, cacheReadTokens: N }),
  ];
  const promptWays: Array<Partial<TokenUsage>> = [{}, { cacheWriteTokens: N }];
  if (asksOneHourCache(body)) promptWays.push({ cacheWriteTokens: N, cacheWrite1hTokens: N });
  const high = promptWays.flatMap((prompt) =>
    [0, M].map((reasoningTokens) => priceAt({ inputTokens: N, outputTokens: M, reasoningTokens, ...prompt })),
  );
  const costs: number[] = [];
  for (const r of [...low, ...high]) {
    if (!r.priced) return { priced: false, ...common, message: r.message };
    costs.push(r.costUsd);
  }
  const maxUsd = Math.max(...costs.slice(low.length));
  const top = high.find((r) => r.priced && r.costUsd === maxUsd);
  const entry = top?.priced ? top.entry : probe.entry;
  // A sibling model's price, or standard rates for a service tier with no published price.
  if (entry.matchedBy === 'approximate') {
    assumptions.push(`approximate price: ${entry.matchedRule ?? `${entry.provider}/${entry.model}`}`);
  }
  return { priced: true, ...common, minUsd: Math.min(...costs.slice(0, low.length)), maxUsd, entry };
}

function stringField(body: unknown, key: string): string | undefined {
  const value =
    body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
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
