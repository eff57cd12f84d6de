/**
 * `models.embedContent()`: one record per request (`Models#embedContentInternal`), operation
 * `embeddings`. The Gemini API reports no usage for embeddings, so those calls are recorded without
 * tokens (`llm_usage_missing_total{reason="not_reported"}`) — never as zero. Vertex AI reports
 * `statistics.tokenCount` per embedding, which we sum as input tokens.
 */
import type { TokenUsage } from '../../types.js';
import { safely } from '../shared/safely.js';
import type { MeasuredMethod } from '../shared/sdk-call.js';
import { USAGE_MISSING } from '../shared/usage-missing.js';
import { endWithRequestError, type GeminiCall, startGeminiCall } from './gemini-call.js';

interface EmbedContentResponseLike {
  embeddings?: Array<{ statistics?: { tokenCount?: unknown } } | undefined>;
}

/** Input tokens reported per embedding (Vertex AI), or undefined when none were. */
export function embeddingUsage(response: unknown): TokenUsage | undefined {
  const embeddings = (response as EmbedContentResponseLike | undefined)?.embeddings;
  if (!Array.isArray(embeddings)) return undefined;
  let total = 0;
  let reported = false;
  for (const embedding of embeddings) {
    const count = embedding?.statistics?.tokenCount;
    if (typeof count === 'number' && Number.isFinite(count) && count >= 0) {
      total += count;
      reported = true;
    }
  }
  return reported ? { inputTokens: total, outputTokens: 0 } : undefined;
}

/** `Models#embedContentInternal`: one request; tokens only where the API reports them. */
export const EMBED_CONTENT: MeasuredMethod<GeminiCall> = {
  what: 'a Google GenAI call',
  open: (sink, models, args) => startGeminiCall(sink, models, args[0], 'embeddings', false),
  observe(result, { tracker }) {
    Promise.resolve(result).then(
      (response: unknown) =>
        safely('observing an embedContent response', () => {
          const usage = embeddingUsage(response);
          tracker.end({
            outcome: 'success',
            usage,
            usageMissingReason: usage === undefined ? USAGE_MISSING.notReported : undefined,
          });
        }),
      (error: unknown) =>
        safely('observing an embedContent error', () => endWithRequestError(tracker, error)),
    );
    return result;
  },
};
