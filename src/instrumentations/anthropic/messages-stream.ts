/**
 * Usage of a streamed Anthropic message, read from the events as the caller reads them: the SDK's
 * own Stream object is kept (its type, `controller`, `tee()`, `toReadableStream()`), only its
 * `[Symbol.asyncIterator]` is observed — the first iterator, which `tee()` and
 * `toReadableStream()` also use, so the events are seen once however the stream is read.
 *
 * Usage is merged field by field from `message_start` then each `message_delta`
 * (`mergeAnthropicStreamUsage`); the call ends once, with the outcome of the read:
 * - `message_stop` seen (or the stream ended on its own): success; without final usage the
 *   known usage (input from `message_start`) is recorded with `stream_no_usage`;
 * - the caller broke off, aborted, or the connection was cut: aborted + known usage;
 * - the provider's in-stream error event: error + known usage.
 */
import { type AnthropicStreamUsage, mergeAnthropicStreamUsage } from '../../usage/index.js';
import type { CallTracker } from '../shared/call-tracker.js';
import { anthropicUsageRead, stringOrUndefined } from './message-usage.js';
import { streamFailureOutcome, USAGE_MISSING } from './wrapping.js';

interface StreamLike {
  [Symbol.asyncIterator]?: (this: unknown) => AsyncIterator<unknown>;
  controller?: { signal?: AbortSignal };
}

interface StreamEvent {
  type?: unknown;
  message?: { model?: unknown; usage?: { service_tier?: unknown } };
  usage?: unknown;
}

/** What the events told so far. */
class MessageStreamState {
  usage: AnthropicStreamUsage | undefined;
  responseModel: string | undefined;
  serviceTier: string | undefined;
  /** A `message_delta` carried usage: the totals are final. */
  finalUsage = false;
  stopped = false;

  observe(event: unknown): void {
    const e = event as StreamEvent;
    switch (e?.type) {
      case 'message_start':
        this.usage = mergeAnthropicStreamUsage(this.usage, e.message?.usage);
        this.responseModel = stringOrUndefined(e.message?.model) ?? this.responseModel;
        this.serviceTier = stringOrUndefined(e.message?.usage?.service_tier) ?? this.serviceTier;
        break;
      case 'message_delta':
        if (e.usage !== undefined && e.usage !== null) {
          this.usage = mergeAnthropicStreamUsage(this.usage, e.usage);
          this.finalUsage = true;
        }
        break;
      case 'message_stop':
        this.stopped = true;
        break;
    }
  }
}

export function observeMessageStream(stream: object, tracker: CallTracker, callerSignal?: AbortSignal): void {
  const s = stream as StreamLike;
  const iterate = s[Symbol.asyncIterator];
  if (typeof iterate !== 'function') return;
  const signal = s.controller?.signal;
  const state = new MessageStreamState();
  const isAborted = () => callerSignal?.aborted === true || signal?.aborted === true;

  const end = (outcome: 'success' | 'aborted' | 'error', error?: unknown) => {
    const missing =
      outcome === 'success'
        ? USAGE_MISSING.streamNoUsage
        : outcome === 'aborted'
          ? USAGE_MISSING.streamAborted
          : USAGE_MISSING.streamError;
    const read = anthropicUsageRead(state.usage);
    tracker.end({
      outcome,
      usage: read.usage,
      usageMissingReason: state.finalUsage ? read.reason : missing,
      responseModel: state.responseModel,
      serviceTier: state.serviceTier,
      error,
    });
  };

  // Aborted before anyone reads: the SDK never starts the iterator, so end here.
  const abortedUnread = () => end('aborted');
  signal?.addEventListener('abort', abortedUnread, { once: true });

  let observed = false;
  Object.defineProperty(s, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function observedIterator(this: unknown): AsyncIterator<unknown> {
      const source = iterate.call(this);
      if (observed) return source;
      observed = true;
      signal?.removeEventListener('abort', abortedUnread);
      const iterator: AsyncIterator<unknown> & AsyncIterable<unknown> = {
        async next(...args: [] | [unknown]) {
          let result: IteratorResult<unknown>;
          try {
            result = await source.next(...args);
          } catch (error) {
            // Not `isAborted()`: the Stream aborts its own controller when a read fails.
            end(streamFailureOutcome(error, callerSignal?.aborted === true), error);
            throw error;
          }
          if (result.done) {
            // The SDK's Stream ends quietly when the caller aborts the request.
            end(state.stopped || !isAborted() ? 'success' : 'aborted');
          } else {
            try {
              state.observe(result.value);
            } catch {
              // An event we cannot read changes nothing for the caller.
            }
          }
          return result;
        },
        async return(value?: unknown) {
          end(state.stopped ? 'success' : 'aborted');
          return (await source.return?.(value)) ?? { done: true, value };
        },
        async throw(error?: unknown) {
          end(state.stopped ? 'success' : 'aborted');
          if (source.throw) return source.throw(error);
          throw error;
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
  });
}
