/**
 * What every SDK wrapper does around one call: open a CLIENT span named per semconv
 * (`chat gpt-4o`), time it, and end it exactly once by calling `record()` with the outcome and
 * whatever usage is known. Errors in here are reported via diag and never reach the app — except
 * the budget guard's `BudgetExceededError`, which the constructor throws before any request is sent.
 */
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { boundedText } from '../../bounded-text.js';
import type { BudgetReservation } from '../../budgets/budget-guard.js';
import { getLLMContext } from '../../context.js';
import { logger } from '../../diag.js';
import type { RecordedCall } from '../../record/recorder.js';
import type { LLMTelemetry } from '../../telemetry.js';
import type { LLMCall, Outcome, TokenUsage } from '../../types.js';
import { errorMessage } from '../../util/error-message.js';

export interface CallStart {
  provider: string;
  model: string;
  /** Semconv operation: `chat`, `embeddings`, `generate_content`, `text_completion`. */
  apiOperation: string;
  /** Per-call attribution overrides (e.g. from request options). */
  agent?: string;
  operation?: string;
  task?: string;
  /** Server address for `server.address` (host only). */
  serverAddress?: string;
  streaming?: boolean;
  /** The SDK the call went through (another instrumentation of it may record `gen_ai.client.*`). */
  sdk?: LLMCall['sdk'];
  /** The request body, for the budget guard's estimate (`estimateRequestCost`); read only when guarding. */
  body?: unknown;
}

export interface CallEnd {
  outcome: Outcome;
  usage?: TokenUsage;
  usageMissingReason?: string;
  responseModel?: string;
  /** Provider-reported cost, USD. */
  costUsd?: number;
  serviceTier?: string;
  /** The error, for `error.type` (its class name) — never its message content in metrics. */
  error?: unknown;
}

/** Error class name for `error_type`: the SDK's class (`RateLimitError`), else `_OTHER`. */
export function errorTypeOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const ctor = (error as { constructor?: { name?: unknown } }).constructor;
    const name =
      typeof ctor?.name === 'string' && ctor.name !== 'Object'
        ? ctor.name
        : (error as { name?: unknown }).name;
    // A class name from our SDKs, or a `name` that may have come off the network: bounded.
    const bounded = boundedText(name);
    if (bounded !== undefined) return bounded;
  }
  return '_OTHER';
}

export function isAbortError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const name = (error as { name?: unknown }).name;
  const ctor = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return name === 'AbortError' || ctor === 'APIUserAbortError' || name === 'APIUserAbortError';
}

const CUT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_ABORTED']);

/**
 * Whether a stream read failed because the connection went away (socket closed mid-body), which
 * counts as `aborted` (as a consumer break does), not as a provider error: undici's `TypeError: terminated`, a
 * reset socket, or an SDK connection error.
 */
export function isConnectionCut(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: unknown;
    constructor?: { name?: unknown };
  };
  if (e.constructor?.name === 'APIConnectionError') return true;
  if (typeof e.code === 'string' && CUT_CODES.has(e.code)) return true;
  if (
    e.name === 'TypeError' &&
    typeof e.message === 'string' &&
    /terminated|other side closed/i.test(e.message)
  ) {
    return true;
  }
  return e.cause !== undefined && e.cause !== error && isConnectionCut(e.cause);
}

/** What opening a call yields: attribution captured now, the guard's reservation, the CLIENT span. */
export interface OpenedCall {
  attribution: Pick<LLMCall, 'agent' | 'operation' | 'task' | 'dimensions'>;
  reservation?: BudgetReservation;
  /**
   * With a shared budget store the reservation is a round trip: the request must wait for this,
   * and not be sent if it rejects (with the `BudgetExceededError`).
   */
  admission?: Promise<BudgetReservation | undefined>;
  span: Span;
}

/**
 * The start every recorder of SDK calls shares (CallTracker, the Vercel AI middleware): capture
 * attribution now (a stream may be consumed outside the caller's scope), reserve against the
 * budget guard — which may throw `BudgetExceededError`, on purpose, before any request is sent —
 * and open the CLIENT span named per semconv.
 */
export function openCall(
  telemetry: LLMTelemetry,
  start: Omit<CallStart, 'serverAddress' | 'streaming'>,
  extraAttributes: Record<string, string | boolean>,
): OpenedCall {
  const ctx = getLLMContext();
  const attribution = {
    agent: start.agent ?? ctx?.agent,
    operation: start.operation ?? ctx?.operation,
    task: start.task ?? ctx?.task,
    dimensions: ctx ? dimensionsOf(ctx, telemetry.options.dimensions) : undefined,
  };
  const held = telemetry.budgets.guarding
    ? telemetry.budgets.reserve({
        provider: start.provider,
        model: start.model,
        apiOperation: start.apiOperation,
        agent: attribution.agent,
        operation: attribution.operation ?? start.apiOperation,
        dimensions: attribution.dimensions,
        body: start.body,
      })
    : undefined;
  const reservation = held instanceof Promise ? undefined : held;
  const admission = held instanceof Promise ? held : undefined;
  const span = telemetry.tracer.startSpan(`${start.apiOperation} ${start.model}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': start.apiOperation,
      'gen_ai.provider.name': start.provider,
      'gen_ai.request.model': start.model,
      ...extraAttributes,
    },
  });
  return { attribution, reservation, admission, span };
}

/** The one `record()` of an ended call, shared by CallTracker and the AI SDK middleware. */
export function recordCallEnd(
  telemetry: LLMTelemetry,
  start: Pick<CallStart, 'provider' | 'model' | 'apiOperation' | 'sdk'>,
  attribution: OpenedCall['attribution'],
  startedAt: number,
  span: Span,
  result: CallEnd,
  errorType: string | undefined,
): RecordedCall | undefined {
  return telemetry.record({
    provider: start.provider,
    model: start.model,
    // Provider-sent strings: bounded here, the one end every SDK wrapper goes through.
    responseModel: boundedText(result.responseModel),
    apiOperation: start.apiOperation,
    sdk: start.sdk,
    ...attribution,
    usage: result.usage,
    usageMissingReason: result.usageMissingReason,
    durationMs: performance.now() - startedAt,
    outcome: result.outcome,
    errorType,
    costUsd: result.costUsd,
    serviceTier: boundedText(result.serviceTier),
    span,
  });
}

export class CallTracker {
  readonly span: Span;
  private readonly started = performance.now();
  private ended = false;

  constructor(
    private readonly telemetry: LLMTelemetry,
    private readonly start: CallStart,
  ) {
    const opened = openCall(
      telemetry,
      start,
      start.serverAddress ? { 'server.address': start.serverAddress } : {},
    );
    this.attribution = opened.attribution;
    this.reservation = opened.reservation;
    this.span = opened.span;
    if (opened.admission !== undefined) {
      this.admission = opened.admission.then(
        (reservation) => {
          this.reservation = reservation;
        },
        (error: unknown) => {
          this.refused(error);
          throw error;
        },
      );
    }
  }

  private readonly attribution: Pick<LLMCall, 'agent' | 'operation' | 'task' | 'dimensions'>;
  private reservation?: BudgetReservation;
  /**
   * Set when the guard's answer is a round trip (shared store): send the request only once this
   * resolves; it rejects with the `BudgetExceededError` when the call is refused.
   */
  readonly admission?: Promise<void>;

  /** The guard refused the call after the tracker opened: no record, the span says why. */
  private refused(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorTypeOf(error) });
    this.span.setAttribute('error.type', errorTypeOf(error));
    this.span.end();
  }

  /** Run `fn` with this call's span active (so nested instrumentation sees it as parent). */
  withSpan<T>(fn: () => T): T {
    return context.with(trace.setSpan(context.active(), this.span), fn);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** End the call once: record usage and cost, set the span's status, end the span. */
  end(result: CallEnd): void {
    if (this.ended) return;
    this.ended = true;
    try {
      const errorType = result.outcome === 'error' ? errorTypeOf(result.error) : undefined;
      // The reservation is settled with the cost this record books (see BudgetSet.settleWith).
      this.telemetry.budgets.settleWith(this.reservation, () =>
        recordCallEnd(
          this.telemetry,
          this.start,
          this.attribution,
          this.started,
          this.span,
          result,
          errorType,
        ),
      );
      if (result.outcome === 'error') {
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
      } else if (result.outcome === 'aborted') {
        this.span.setAttribute('llm.outcome', 'aborted');
      }
    } catch (error) {
      logger.error(`ending the call failed: ${errorMessage(error)}`);
    } finally {
      this.span.end();
    }
  }
}

function dimensionsOf(ctx: Readonly<Record<string, string | undefined>>, names: readonly string[]) {
  if (names.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = ctx[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}
