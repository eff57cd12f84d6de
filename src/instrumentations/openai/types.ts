/**
 * What the OpenAI instrumentation supports, and the internal contract between its surfaces
 * (chat, chat streams, responses, embeddings) and the shared call wrapper in `call.ts`.
 */
import type { UsageShape } from '../../usage/types.js';

/**
 * `openai` package versions we patch and test: latest 4.x (4.104), 5.x (5.23) and 6.x (6.49).
 * 4.19 is the first 4.x with `OpenAI.Chat.Completions` on the exports; `responses` needs ≥ 4.87.
 */
export const SUPPORTED_OPENAI_VERSIONS = '>=4.19.0 <7';

/** What a surface learned from a response body or a stream. */
export interface ResultFacts {
  /** The raw `usage` object (OpenAI wire shape); undefined when none was seen. */
  usage?: unknown;
  /** `gen_ai.response.model`. */
  model?: string;
  serviceTier?: string;
  /** The provider reported a failed generation inside a 200 (Responses `status: failed`). */
  failure?: string;
}

/** Reads one stream's items; `onChunk` returns false to hide an item from the caller. */
export interface StreamReader {
  onChunk(item: unknown): boolean;
  facts(): ResultFacts;
}

/** The request as we send it, plus what we changed about it. */
export interface PreparedRequest {
  body: Record<string, unknown>;
  /** We added `stream_options.include_usage`: hide the usage-only chunk and the `usage: null` fields. */
  injectedUsage: boolean;
}

export interface OpenAISurface {
  /** Semconv `gen_ai.operation.name` (names the span: `chat gpt-4o`). */
  apiOperation: 'chat' | 'embeddings';
  /** Shape of the `usage` object, for `normalizeUsage`. */
  usageShape: UsageShape;
  /** Rewrite the request before it is sent; undefined keeps the caller's body object. */
  prepare?(body: Record<string, unknown>, injectStreamUsage: boolean): PreparedRequest | undefined;
  /** Facts of a JSON (non-streamed) body. */
  readResult(result: unknown): ResultFacts;
  /** A reader for a streamed response. */
  streamReader(prepared: PreparedRequest): StreamReader;
}
