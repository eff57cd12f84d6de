/**
 * The one wrapper every OpenAI `create()` goes through: start a CallTracker, send the (possibly
 * usage-injected) request through the SDK's own method, and observe the SDK's `APIPromise` and
 * `Stream` in place. The caller gets the SDK's original APIPromise object back.
 *
 * Retries: the SDK retries 408/409/429/5xx inside one `create()`; its APIPromise settles once, with
 * the final response or error. We record that final outcome once per `create()` call. Failed
 * attempts are not billed by OpenAI, so the successful attempt's usage is the billed usage; a call
 * whose retries all failed is one `error` record (the last error's class).
 */
import { OnceWarner } from '../../diag.js';
import type { TokenUsage } from '../../types.js';
import { normalizeUsageDetailed } from '../../usage/normalize.js';
import { observeApiPromise } from '../shared/api-promise.js';
import type { CallSink, TelemetrySource } from '../shared/call-sink.js';
import { type CallStart, CallTracker } from '../shared/call-tracker.js';
import { measuredMethod, type OpenedCall } from '../shared/sdk-call.js';
import { isAbortError, isConnectionCut } from '../shared/sdk-errors.js';
import { type ChunkObserver, observeStream, type StreamEnd } from '../shared/stream.js';
import { USAGE_MISSING, type UsageMissingReason } from '../shared/usage-missing.js';
import type { AnyFunction } from '../shared/wrapping.js';
import { type ClientInfo, clientInfo } from './client-info.js';
import { acceptsStreamUsage } from './stream-usage-hosts.js';
import type { OpenAISurface, PreparedRequest, ResultFacts, StreamReader } from './types.js';

interface ResourceLike {
  _client?: unknown;
}

/** Build the replacement for a resource's `create(body, options)`. */
export function instrumentedCreate(
  surface: OpenAISurface,
  original: AnyFunction,
  source: TelemetrySource,
  isActive: () => boolean,
): AnyFunction {
  return measuredMethod(source, original, isActive, {
    what: 'an OpenAI call record',
    open: (sink, resource, args) => startCall(surface, sink, resource as ResourceLike, args),
    observe(promise, call) {
      observeApiPromise(promise, call);
      return promise;
    },
  });
}

function startCall(
  surface: OpenAISurface,
  telemetry: CallSink,
  resource: ResourceLike,
  args: unknown[],
): OpenAICall | undefined {
  const body = args[0];
  if (!body || typeof body !== 'object') return undefined;
  const request = body as Record<string, unknown>;
  const info = clientInfo(resource._client);
  const requested = typeof request.model === 'string' ? request.model : undefined;
  const model = (info.azure ? (info.azureDeployment ?? requested) : requested) ?? 'unknown';
  const streaming = request.stream === true;
  let prepared = streaming
    ? surface.prepare?.(request, telemetry.options.injectStreamUsage !== false)
    : undefined;
  let usageNotRequested = false;
  if (prepared?.injectedUsage && !endpointAccepts(info, telemetry.options.openaiStreamUsageHosts)) {
    // An endpoint not known to accept stream_options gets the caller's request unchanged.
    prepared = undefined;
    usageNotRequested = true;
    warnUsageNotRequested(telemetry, info.serverAddress, info.serverPort);
  }
  const start: CallStart = {
    provider: info.provider,
    model,
    apiOperation: surface.apiOperation,
    serverAddress: info.serverAddress,
    streaming,
    sdk: 'openai',
  };
  // Assigned rather than spread in: no temporary object per call when the guard is off.
  if (telemetry.budgets.guarding) start.body = request;
  const tracker = new CallTracker(telemetry, start);
  const sendArgs = prepared ? [prepared.body, ...args.slice(1)] : undefined;
  return new OpenAICall(surface, info.provider, tracker, streaming, prepared, sendArgs, usageNotRequested);
}

/** The answer per client (its info object is cached per client) and user host list. */
const acceptance = new WeakMap<ClientInfo, { hosts: readonly string[]; ok: boolean }>();

function endpointAccepts(info: ClientInfo, hosts: readonly string[]): boolean {
  const known = acceptance.get(info);
  if (known !== undefined && known.hosts === hosts) return known.ok;
  const ok = acceptsStreamUsage(info, hosts);
  acceptance.set(info, { hosts, ok });
  return ok;
}

/** Per telemetry handle: each one says it once per endpoint. */
const notRequestedWarners = new WeakMap<CallSink, OnceWarner>();

function warnUsageNotRequested(
  telemetry: CallSink,
  host: string | undefined,
  port: string | undefined,
): void {
  let warner = notRequestedWarners.get(telemetry);
  if (!warner) {
    warner = new OnceWarner(100);
    notRequestedWarners.set(telemetry, warner);
  }
  const where = host === undefined ? 'an unknown endpoint' : `${host}:${port ?? ''}`;
  warner.warn(
    where,
    `OpenAI streams to ${where} carry no usage: that endpoint is not known to accept stream_options.include_usage, so it is not added (counted as llm_usage_missing_total{reason="${USAGE_MISSING.streamUsageNotRequested}"}). If it accepts the field, list it in openaiStreamUsageHosts / LLM_COST_OPENAI_STREAM_USAGE_HOSTS.`,
  );
}

/** One `create()` call in flight: receives the SDK promise's events and ends the tracker once. */
class OpenAICall implements OpenedCall {
  constructor(
    private readonly surface: OpenAISurface,
    private readonly provider: string,
    readonly tracker: CallTracker,
    private readonly streaming: boolean,
    private readonly prepared: PreparedRequest | undefined,
    readonly sendArgs: unknown[] | undefined,
    private readonly usageNotRequested: boolean,
  ) {}

  onParsed(result: unknown): void {
    if (this.tracker.isEnded) return;
    if (this.streaming) {
      const reader = this.surface.streamReader(this.prepared ?? NOT_PREPARED);
      // The observer must not hold the stream (it is the FinalizationRegistry's held value).
      const ok = observeStream(result, new StreamObserver(this, reader));
      if (!ok) this.endWith(this.surface.readResult(result), 'success');
      return;
    }
    this.endWith(this.surface.readResult(result), 'success');
  }

  onError(error: unknown): void {
    this.fail(error);
  }

  onRawResponse(response: Response): void {
    if (this.tracker.isEnded) return;
    if (this.streaming) {
      this.tracker.end({ outcome: 'success', usageMissingReason: USAGE_MISSING.rawResponse });
      return;
    }
    response
      .clone()
      .json()
      .then(
        (body: unknown) => this.endWith(this.surface.readResult(body), 'success'),
        () => this.tracker.end({ outcome: 'success', usageMissingReason: USAGE_MISSING.rawResponse }),
      );
  }

  fail(error: unknown): void {
    if (this.tracker.isEnded) return;
    this.tracker.end({ outcome: isAbortError(error) ? 'aborted' : 'error', error });
  }

  endStream(reader: StreamReader, how: StreamEnd): void {
    const facts = reader.facts();
    if (how === 'done') {
      const reason = this.usageNotRequested
        ? USAGE_MISSING.streamUsageNotRequested
        : USAGE_MISSING.streamNoUsage;
      this.endWith(facts, 'success', reason);
    } else {
      this.endWith(
        facts,
        'aborted',
        how === 'abandoned' ? USAGE_MISSING.streamAbandoned : USAGE_MISSING.streamAborted,
      );
    }
  }

  /** `missingReason` applies when no usage was seen — and always for a cut-short stream. */
  endWith(
    facts: ResultFacts,
    outcome: 'success' | 'error' | 'aborted',
    missingReason?: UsageMissingReason,
    error?: unknown,
  ): void {
    if (this.tracker.isEnded) return;
    let usage: TokenUsage | undefined;
    let costUsd: number | undefined;
    let usageMissingReason: UsageMissingReason | undefined;
    if (facts.usage !== undefined && facts.usage !== null) {
      const result = normalizeUsageDetailed(this.provider, facts.usage, this.surface.usageShape);
      if (result.usage) {
        const { costUsd: reported, ...tokens } = result.usage;
        usage = tokens;
        costUsd = reported;
      } else {
        usageMissingReason = result.problem;
      }
    }
    if (outcome !== 'success' && missingReason) usageMissingReason = missingReason;
    else if (!usage) usageMissingReason ??= missingReason ?? USAGE_MISSING.missing;
    const failed = outcome === 'success' && facts.failure !== undefined;
    this.tracker.end({
      outcome: failed ? 'error' : outcome,
      usage,
      usageMissingReason,
      responseModel: facts.model,
      costUsd,
      serviceTier: facts.serviceTier,
      error: failed ? { name: facts.failure } : error,
    });
  }
}

/** Used when a surface did not rewrite the stream request (frozen: readers only read it). */
const NOT_PREPARED: PreparedRequest = Object.freeze({ body: Object.freeze({}), injectedUsage: false });

/** Feeds one stream's items to its reader and ends the call; a class so no closures per stream. */
class StreamObserver implements ChunkObserver {
  constructor(
    private readonly call: OpenAICall,
    private readonly reader: StreamReader,
  ) {}

  onChunk(item: unknown): boolean {
    return this.reader.onChunk(item);
  }

  onEnd(how: StreamEnd): void {
    this.call.endStream(this.reader, how);
  }

  onError(error: unknown): void {
    if (isConnectionCut(error) || !isOpenAIError(error)) {
      this.call.endWith(this.reader.facts(), 'aborted', USAGE_MISSING.streamAborted);
    } else {
      this.call.endWith(this.reader.facts(), 'error', USAGE_MISSING.streamError, error);
    }
  }
}

/** An error the SDK itself raised (an in-stream error event), as opposed to the connection going away. */
function isOpenAIError(error: unknown): boolean {
  let proto = error && typeof error === 'object' ? Object.getPrototypeOf(error) : null;
  while (proto && proto !== Object.prototype) {
    if ((proto.constructor as { name?: string } | undefined)?.name === 'OpenAIError') return true;
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}
