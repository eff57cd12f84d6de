/**
 * `messages.create()` (and `beta.messages.create()`): one CLIENT span and one record per call,
 * JSON or `stream: true`. Every other surface of the SDK that sends a message — `messages.stream()`
 * and its `finalMessage()`, `messages.parse()`, the beta tool runner — calls `create()` on the
 * same resource, so wrapping `create()` alone measures each of them exactly once.
 *
 * The caller gets the SDK's own APIPromise (see ../shared/api-promise.ts) and, for streams, the SDK's own
 * Stream object (see messages-stream.ts).
 */
import { context, type Span, trace } from '@opentelemetry/api';
import { ATTR } from '../../record/span-attributes.js';
import { observeApiPromise } from '../shared/api-promise.js';
import type { CallSink, TelemetrySource } from '../shared/call-sink.js';
import { CallTracker } from '../shared/call-tracker.js';
import { type MeasuredMethod, measuredMethod, type OpenedCall } from '../shared/sdk-call.js';
import { isAbortError } from '../shared/sdk-errors.js';
import { USAGE_MISSING } from '../shared/usage-missing.js';
import type { AnyFunction } from '../shared/wrapping.js';
import { ANTHROPIC_PROVIDER, anthropicUsageRead, stringOrUndefined } from './message-usage.js';
import { observeMessageStream } from './messages-stream.js';

interface MessageLike {
  model?: unknown;
  usage?: { service_tier?: unknown } | null;
}

function serverAddressOf(resource: unknown): string | undefined {
  const baseURL = (resource as { _client?: { baseURL?: unknown } } | undefined)?._client?.baseURL;
  if (typeof baseURL !== 'string') return undefined;
  try {
    return new URL(baseURL).hostname;
  } catch {
    return undefined;
  }
}

/** `anthropic`, or what a Bedrock/Vertex client of the SDK says it is (the name its own spans use). */
function providerOf(resource: unknown): string {
  const name = (resource as { _client?: { _genAIProviderName?: unknown } } | undefined)?._client
    ?._genAIProviderName;
  return typeof name === 'string' && name !== '' ? name : ANTHROPIC_PROVIDER;
}

/**
 * The SDK's own call span a helper (`messages.stream()`) passes down in the request options: the
 * SDK 1.x internal `__span` option. Our span becomes its child and marks it as counted, so a span
 * processor that prices GenAI spans skips it.
 */
function sdkHelperSpanOf(options: unknown): Span | undefined {
  const span = (options as { __span?: { span?: unknown } } | undefined)?.__span?.span;
  return span !== null && typeof span === 'object' && typeof (span as Span).spanContext === 'function'
    ? (span as Span)
    : undefined;
}

function startCall(sink: CallSink, resource: unknown, params: unknown, options: unknown): CallTracker {
  const body = (params ?? {}) as { model?: unknown; stream?: unknown };
  const start = () =>
    new CallTracker(sink, {
      provider: providerOf(resource),
      model: typeof body.model === 'string' && body.model !== '' ? body.model : 'unknown',
      apiOperation: 'chat',
      serverAddress: serverAddressOf(resource),
      streaming: body.stream === true,
      ...(sink.budgets.guarding ? { body } : {}),
    });
  const helperSpan = sdkHelperSpanOf(options);
  if (helperSpan === undefined) return start();
  helperSpan.setAttribute(ATTR.recorded, true);
  return context.with(trace.setSpan(context.active(), helperSpan), start);
}

function onMessage(tracker: CallTracker, message: unknown): void {
  const m = (message ?? {}) as MessageLike;
  const read = anthropicUsageRead(m.usage);
  tracker.end({
    outcome: 'success',
    usage: read.usage,
    usageMissingReason: read.reason,
    responseModel: stringOrUndefined(m.model),
    serviceTier: stringOrUndefined(m.usage?.service_tier),
  });
}

function onRequestError(tracker: CallTracker, error: unknown, streaming: boolean): void {
  if (isAbortError(error)) {
    tracker.end({
      outcome: 'aborted',
      usageMissingReason: streaming ? USAGE_MISSING.streamAborted : USAGE_MISSING.aborted,
    });
  } else {
    tracker.end({ outcome: 'error', error });
  }
}

/** `create(params, options)`: JSON messages and streams, observed in place. */
const MESSAGES_CREATE: MeasuredMethod<OpenedCall> = {
  what: 'an Anthropic call',
  open: (sink, resource, args) => ({ tracker: startCall(sink, resource, args[0], args[1]) }),
  observe(result, { tracker }, args) {
    const streaming = (args[0] as { stream?: unknown } | undefined)?.stream === true;
    const signal = (args[1] as { signal?: AbortSignal } | undefined)?.signal;
    observeApiPromise(result, {
      onParsed: (data) => {
        if (!streaming || data === null || typeof data !== 'object' || !(Symbol.asyncIterator in data)) {
          onMessage(tracker, data);
        } else if (!observeMessageStream(data, tracker, signal)) {
          tracker.end({ outcome: 'success', usageMissingReason: USAGE_MISSING.streamNotObserved });
        }
      },
      onError: (error) => onRequestError(tracker, error, streaming),
      onRawResponse: () => tracker.end({ outcome: 'success', usageMissingReason: USAGE_MISSING.rawResponse }),
    });
    return result;
  },
};

/** The wrapper installed as `Messages.prototype.create` or as one client's `messages.create`. */
export function wrapMessagesCreate(
  source: TelemetrySource,
  original: AnyFunction,
  isActive: () => boolean,
): AnyFunction {
  return measuredMethod(source, original, isActive, MESSAGES_CREATE);
}
