/**
 * `models.generateContentStream()`: one record per streamed HTTP request. We wrap
 * `Models#generateContentStreamInternal` (one request each; continuation hops and retried hops
 * are billed requests of their own), which resolves to an async generator of
 * `GenerateContentResponse` chunks; the caller gets an async generator of the very same chunks.
 *
 * Each chunk may carry `usageMetadata`, cumulative so far; the final chunk's is complete. The call
 * ends once: the generator finished (success; `stream_no_usage` when no chunk had usage), the
 * caller broke off or aborted or the connection was cut before the final chunk (aborted, with the
 * last usage seen), or the read failed otherwise (error, with the last usage seen).
 */
import type { CallTracker } from '../shared/call-tracker.js';
import { reportFailure, safely } from '../shared/safely.js';
import type { MeasuredMethod } from '../shared/sdk-call.js';
import { streamFailureOutcome } from '../shared/sdk-errors.js';
import { type ChunkObserver, observeAsyncIterable, type StreamEnd } from '../shared/stream.js';
import { streamMissingReason, USAGE_MISSING, type UsageMissingReason } from '../shared/usage-missing.js';
import { endWithRequestError, type GeminiCall, geminiUsage, startGeminiCall } from './gemini-call.js';
import { serviceTierOf } from './service-tier.js';

interface ChunkLike {
  usageMetadata?: unknown;
  modelVersion?: unknown;
  candidates?: Array<{ finishReason?: unknown } | undefined>;
}

/** Reads the chunks as the caller reads them and ends the call once. Holds no reference to the stream. */
class GeminiStreamObserver implements ChunkObserver {
  private usageMetadata: unknown;
  private responseModel: string | undefined;
  private finished = false;

  constructor(
    private readonly call: GeminiCall,
    private readonly params: unknown,
    private readonly signal: AbortSignal | undefined,
  ) {}

  onChunk(chunk: unknown): boolean {
    const c = chunk as ChunkLike | undefined;
    if (c?.usageMetadata !== undefined && c.usageMetadata !== null) this.usageMetadata = c.usageMetadata;
    if (typeof c?.modelVersion === 'string' && c.modelVersion !== '') this.responseModel = c.modelVersion;
    if (c?.candidates?.some((candidate) => typeof candidate?.finishReason === 'string')) this.finished = true;
    return true;
  }

  onEnd(how: StreamEnd): void {
    if (how === 'done') this.end('success');
    else if (how === 'abandoned') this.end('aborted', undefined, USAGE_MISSING.streamAbandoned);
    // The caller stopped reading (break / return()): the request is cut short.
    else this.end(this.finished ? 'success' : 'aborted');
  }

  onError(error: unknown): void {
    this.end(streamFailureOutcome(error, this.signal?.aborted === true), error);
  }

  private end(outcome: 'success' | 'aborted' | 'error', error?: unknown, reason?: UsageMissingReason): void {
    const usage = geminiUsage(this.call.provider, this.usageMetadata);
    const complete = this.finished && usage !== undefined;
    this.call.tracker.end({
      outcome,
      usage,
      usageMissingReason:
        complete || (outcome === 'success' && usage !== undefined)
          ? undefined
          : (reason ?? streamMissingReason(outcome)),
      responseModel: this.responseModel,
      serviceTier: serviceTierOf(this.usageMetadata, this.params),
      error,
    });
  }
}

/** The caller's stream, observed; the SDK's own stream when it is none or we fail. */
function observeResult(tracker: CallTracker, stream: unknown, observer: ChunkObserver): unknown {
  if (stream === null || typeof stream !== 'object' || !(Symbol.asyncIterator in stream)) {
    safely('observing a generateContentStream result', () =>
      tracker.end({ outcome: 'success', usageMissingReason: USAGE_MISSING.streamNoUsage }),
    );
    return stream;
  }
  try {
    return observeAsyncIterable(stream as AsyncIterable<unknown>, observer);
  } catch (error) {
    reportFailure('observing a generateContentStream result', error);
    tracker.end({ outcome: 'success', usageMissingReason: USAGE_MISSING.streamNotObserved });
    return stream;
  }
}

/** `Models#generateContentStreamInternal`: one request, its chunks observed as the caller reads them. */
export const GENERATE_CONTENT_STREAM: MeasuredMethod<GeminiCall> = {
  what: 'a Google GenAI call',
  open: (sink, models, args) => startGeminiCall(sink, models, args[0], 'generate_content', true),
  observe(result, call, args) {
    const params = args[0];
    const signal = (params as { config?: { abortSignal?: AbortSignal } } | undefined)?.config?.abortSignal;
    return Promise.resolve(result).then(
      (stream) => observeResult(call.tracker, stream, new GeminiStreamObserver(call, params, signal)),
      (error: unknown) => {
        safely('observing a generateContentStream error', () => endWithRequestError(call.tracker, error));
        throw error;
      },
    );
  },
};
