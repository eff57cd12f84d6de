/**
 * The `llm_usage_missing_total{reason}` values the SDK wrappers, the AI SDK middleware and the
 * span processor write, each checked against the metric contract's list (`USAGE_MISSING_REASONS`
 * in src/metrics/names.ts): a reason not listed there does not compile.
 */
import type { USAGE_MISSING_REASONS } from '../../metrics/names.js';

/** One `llm_usage_missing_total{reason}` value. */
export type UsageMissingReason = (typeof USAGE_MISSING_REASONS)[number];

export const USAGE_MISSING = {
  /** The response carried no usage object. */
  missing: 'missing',
  /** The provider sent a usage object we cannot believe (negative, NaN, wrong types). */
  invalid: 'invalid',
  /** A usage object none of the provider's shapes recognises. */
  unknownShape: 'unknown_shape',
  /** A stream ended without its final usage; whatever was reported earlier is recorded. */
  streamNoUsage: 'stream_no_usage',
  /** The consumer stopped reading (break, AbortSignal) or the connection was cut mid-stream. */
  streamAborted: 'stream_aborted',
  /** The provider sent an error mid-stream; usage reported before it is recorded. */
  streamError: 'stream_error',
  /** The stream object was garbage-collected without being drained. */
  streamAbandoned: 'stream_abandoned',
  /** Our stream observer could not be attached; the caller got the stream unobserved. */
  streamNotObserved: 'stream_not_observed',
  /** An OpenAI stream to an endpoint not known to accept `stream_options.include_usage`. */
  streamUsageNotRequested: 'stream_usage_not_requested',
  /** A request aborted before its response arrived. */
  aborted: 'aborted',
  /** The API reports no usage for this operation (Gemini API embeddings). */
  notReported: 'not_reported',
  /** The caller read the raw response (`.asResponse()`), which we do not parse. */
  rawResponse: 'raw_response',
  /** Another instrumentation's GenAI span named an inference call but carried no token counts. */
  spanNoUsage: 'span_no_usage',
} as const satisfies Record<string, UsageMissingReason>;

/** The reason a stream that ended `outcome` records when it has no (final) usage. */
export function streamMissingReason(outcome: 'success' | 'aborted' | 'error'): UsageMissingReason {
  return outcome === 'success'
    ? USAGE_MISSING.streamNoUsage
    : outcome === 'aborted'
      ? USAGE_MISSING.streamAborted
      : USAGE_MISSING.streamError;
}
