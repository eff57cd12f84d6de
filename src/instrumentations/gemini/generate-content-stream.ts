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
import { type AnyFunction, streamFailureOutcome, USAGE_MISSING } from '../anthropic/wrapping.js';
import type { CallTracker } from '../shared/call-tracker.js';
import type { TelemetrySource } from '../shared/sdk-patch.js';
import { callInSpan, endWithRequestError, geminiUsage, safely, startGeminiCall } from './gemini-call.js';
import { serviceTierOf } from './service-tier.js';

interface ChunkLike {
  usageMetadata?: unknown;
  modelVersion?: unknown;
  candidates?: Array<{ finishReason?: unknown } | undefined>;
}

class ChunkState {
  usageMetadata: unknown;
  responseModel: string | undefined;
  finished = false;

  observe(chunk: unknown): void {
    const c = chunk as ChunkLike | undefined;
    if (c?.usageMetadata !== undefined && c.usageMetadata !== null) this.usageMetadata = c.usageMetadata;
    if (typeof c?.modelVersion === 'string' && c.modelVersion !== '') this.responseModel = c.modelVersion;
    if (c?.candidates?.some((candidate) => typeof candidate?.finishReason === 'string')) this.finished = true;
  }
}

async function* observeChunks<T>(
  source: AsyncIterable<T>,
  tracker: CallTracker,
  provider: string,
  params: unknown,
  signal: AbortSignal | undefined,
): AsyncGenerator<T, void, undefined> {
  const state = new ChunkState();
  const end = (outcome: 'success' | 'aborted' | 'error', error?: unknown) =>
    safely('ending a generateContentStream call', () => {
      const usage = geminiUsage(provider, state.usageMetadata);
      const complete = state.finished && usage !== undefined;
      const missing =
        outcome === 'success'
          ? USAGE_MISSING.streamNoUsage
          : outcome === 'aborted'
            ? USAGE_MISSING.streamAborted
            : USAGE_MISSING.streamError;
      tracker.end({
        outcome,
        usage,
        usageMissingReason: complete || (outcome === 'success' && usage !== undefined) ? undefined : missing,
        responseModel: state.responseModel,
        serviceTier: serviceTierOf(state.usageMetadata, params),
        error,
      });
    });
  let settled = false;
  try {
    for await (const chunk of source) {
      safely('reading a generateContentStream chunk', () => state.observe(chunk));
      yield chunk;
    }
    settled = true;
    end('success');
  } catch (error) {
    settled = true;
    end(streamFailureOutcome(error, signal?.aborted === true), error);
    throw error;
  } finally {
    // The caller stopped reading (break / return()): the request is cut short.
    if (!settled) end(state.finished ? 'success' : 'aborted');
  }
}

export function wrapGenerateContentStream(
  source: TelemetrySource,
  original: AnyFunction,
  isActive: () => boolean,
): AnyFunction {
  return function generateContentStream(this: unknown, ...args: unknown[]) {
    const telemetry = isActive() ? source() : undefined;
    if (telemetry === undefined || telemetry.isShutdown) return original.apply(this, args);
    let call: ReturnType<typeof startGeminiCall>;
    try {
      call = startGeminiCall(telemetry, this, args[0], 'generate_content', true);
    } catch (error) {
      // Only the guard's refusal gets out of startGeminiCall: a rejected promise, as the SDK fails.
      return Promise.reject(error);
    }
    if (call === undefined) return original.apply(this, args);
    const { tracker, provider } = call;
    const params = args[0];
    const signal = (params as { config?: { abortSignal?: AbortSignal } } | undefined)?.config?.abortSignal;
    const result = callInSpan(tracker, () => original.apply(this, args)) as Promise<AsyncIterable<unknown>>;
    return Promise.resolve(result).then(
      (stream) => {
        if (stream === null || typeof stream !== 'object' || !(Symbol.asyncIterator in stream)) {
          safely('observing a generateContentStream result', () =>
            tracker.end({ outcome: 'success', usageMissingReason: USAGE_MISSING.streamNoUsage }),
          );
          return stream;
        }
        return observeChunks(stream, tracker, provider, params, signal);
      },
      (error: unknown) => {
        safely('observing a generateContentStream error', () => endWithRequestError(tracker, error));
        throw error;
      },
    );
  };
}
