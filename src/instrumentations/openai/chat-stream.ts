/**
 * Streamed chat completions. OpenAI reports usage in a stream only when asked
 * (`stream_options: { include_usage: true }`): one extra last chunk with `choices: []` and the
 * usage, and `usage: null` on every other chunk. When the caller did not set `include_usage` we ask
 * for it (unless `injectStreamUsage: false`) and undo both visible effects, so the caller's chunk
 * sequence is exactly what it would have been without us. A caller that set
 * `include_usage: false` explicitly is respected (the call records `stream_no_usage`).
 */
import type { PreparedRequest, ResultFacts, StreamReader } from './types.js';

interface ChunkLike {
  choices?: unknown;
  usage?: unknown;
  model?: unknown;
  service_tier?: unknown;
}

export function prepareChatStream(
  body: Record<string, unknown>,
  inject: boolean,
): PreparedRequest | undefined {
  if (!inject) return undefined;
  const options = body.stream_options;
  if (options !== undefined && options !== null && typeof options !== 'object') return undefined;
  const current = (options ?? {}) as Record<string, unknown>;
  if (current.include_usage !== undefined) return undefined;
  // A copy: the caller's body object is never changed.
  return { body: { ...body, stream_options: { ...current, include_usage: true } }, injectedUsage: true };
}

export function chatStreamReader(prepared: PreparedRequest): StreamReader {
  return new ChatStreamReader(prepared.injectedUsage);
}

/** A class, not a closure-built object: one allocation per stream, methods shared (this runs per chunk). */
class ChatStreamReader implements StreamReader {
  private readonly result: ResultFacts = {};

  constructor(private readonly hide: boolean) {}

  onChunk(item: unknown): boolean {
    const chunk = item as ChunkLike;
    if (!chunk || typeof chunk !== 'object') return true;
    const facts = this.result;
    if (facts.model === undefined && typeof chunk.model === 'string' && chunk.model !== '')
      facts.model = chunk.model;
    if (facts.serviceTier === undefined && typeof chunk.service_tier === 'string') {
      facts.serviceTier = chunk.service_tier;
    }
    const usage = chunk.usage;
    if (usage !== undefined && usage !== null) {
      facts.usage = usage;
      if (!this.hide) return true;
      if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return false;
      // Some OpenAI-compatible servers put the usage on the last content chunk instead.
      delete chunk.usage;
      return true;
    }
    if (this.hide && usage === null) delete chunk.usage;
    return true;
  }

  facts(): ResultFacts {
    return this.result;
  }
}
