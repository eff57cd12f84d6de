/**
 * Usage of a streamed Anthropic message, read from the events as the caller reads them: the SDK's
 * own Stream object is kept (its type, `controller`, `tee()`, `toReadableStream()`), observed in
 * place by the shared stream observation (../shared/stream.ts), so the events are seen once
 * however the stream is read.
 *
 * Usage is merged field by field from `message_start` then each `message_delta`
 * (`mergeAnthropicStreamUsage`); the call ends once, with the outcome of the read:
 * - `message_stop` seen (or the stream ended on its own): success; without final usage the
 *   known usage (input from `message_start`) is recorded with `stream_no_usage`;
 * - the caller broke off, aborted, or the connection was cut: aborted + known usage;
 * - the provider's in-stream error event: error + known usage;
 * - aborted before anyone read it: aborted; dropped unread: aborted, `stream_abandoned`.
 */
import { type AnthropicStreamUsage, mergeAnthropicStreamUsage } from '../../usage/index.js';
import type { CallTracker } from '../shared/call-tracker.js';
import { streamFailureOutcome } from '../shared/sdk-errors.js';
import { type ChunkObserver, observeStream, type StreamEnd } from '../shared/stream.js';
import { streamMissingReason, USAGE_MISSING, type UsageMissingReason } from '../shared/usage-missing.js';
import { anthropicUsageRead, stringOrUndefined } from './message-usage.js';

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

/** Observe `stream` in place; false (nothing changed) when it is not an SDK `Stream`. */
export function observeMessageStream(
  stream: object,
  tracker: CallTracker,
  callerSignal?: AbortSignal,
): boolean {
  const signal = (stream as { controller?: { signal?: AbortSignal } }).controller?.signal;
  const observer = new MessageStreamObserver(tracker, callerSignal, signal);
  if (!observeStream(stream, observer)) return false;
  // Aborted before anyone reads: the SDK never starts the iterator, so end here.
  signal?.addEventListener('abort', observer.abortedUnread, { once: true });
  return true;
}

/** Ends the call once, from the events seen and how the read ended. Holds no reference to the stream. */
class MessageStreamObserver implements ChunkObserver {
  private readonly state = new MessageStreamState();
  readonly abortedUnread = () => this.end('aborted');

  constructor(
    private readonly tracker: CallTracker,
    private readonly callerSignal: AbortSignal | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  onStart(): void {
    this.signal?.removeEventListener('abort', this.abortedUnread);
  }

  onChunk(event: unknown): boolean {
    try {
      this.state.observe(event);
    } catch {
      // An event we cannot read changes nothing for the caller.
    }
    return true;
  }

  onEnd(how: StreamEnd): void {
    if (how === 'abandoned') {
      this.signal?.removeEventListener('abort', this.abortedUnread);
      this.end('aborted', undefined, USAGE_MISSING.streamAbandoned);
    } else if (how === 'done') {
      // The SDK's Stream ends quietly when the caller aborts the request.
      this.end(this.state.stopped || !this.isAborted() ? 'success' : 'aborted');
    } else {
      this.end(this.state.stopped ? 'success' : 'aborted');
    }
  }

  onError(error: unknown): void {
    // Not `isAborted()`: the Stream aborts its own controller when a read fails.
    this.end(streamFailureOutcome(error, this.callerSignal?.aborted === true), error);
  }

  private isAborted(): boolean {
    return this.callerSignal?.aborted === true || this.signal?.aborted === true;
  }

  private end(outcome: 'success' | 'aborted' | 'error', error?: unknown, reason?: UsageMissingReason): void {
    const state = this.state;
    const read = anthropicUsageRead(state.usage);
    this.tracker.end({
      outcome,
      usage: read.usage,
      usageMissingReason: state.finalUsage ? read.reason : (reason ?? streamMissingReason(outcome)),
      responseModel: state.responseModel,
      serviceTier: state.serviceTier,
      error,
    });
  }
}
