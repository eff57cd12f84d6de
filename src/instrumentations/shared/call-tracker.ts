/**
 * What every recorder of one LLM call does around it — the SDK wrappers and the AI SDK middleware
 * alike: capture attribution now (a stream may be consumed outside the caller's scope), reserve
 * against the budget guard — which may throw `BudgetExceededError`, on purpose, before any request
 * is sent — open a CLIENT span named per semconv (`chat gpt-4o`), time the call, and end it exactly
 * once by calling `record()` with the outcome and whatever usage is known. Errors in here are
 * reported via diag and never reach the app.
 */
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { boundedText } from '../../bounded-text.js';
import type { BudgetReservation } from '../../budgets/budget-guard.js';
import { getLLMContext } from '../../context.js';
import type { LLMCall, Outcome, TokenUsage } from '../../types.js';
import type { CallSink } from './call-sink.js';
import { reportFailure } from './safely.js';
import { errorTypeOf } from './sdk-errors.js';
import type { UsageMissingReason } from './usage-missing.js';

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
  usageMissingReason?: UsageMissingReason;
  responseModel?: string;
  /** Provider-reported cost, USD. */
  costUsd?: number;
  serviceTier?: string;
  /** The error, for `error.type` (its class name) — never its message content in metrics. */
  error?: unknown;
}

/** The `withLLMContext` keys promoted to labels (`dimensions`), or undefined when none are. */
export function dimensionsOf(
  ctx: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = ctx[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}

export class CallTracker {
  readonly span: Span;
  private readonly started = performance.now();
  private ended = false;
  private readonly attribution: Pick<LLMCall, 'agent' | 'operation' | 'task' | 'dimensions'>;
  private reservation?: BudgetReservation;
  /**
   * Set when the guard's answer is a round trip (shared store): send the request only once this
   * resolves; it rejects with the `BudgetExceededError` when the call is refused.
   */
  readonly admission?: Promise<void>;

  /** `attributes`: extra span attributes (default: `server.address` when known). */
  constructor(
    readonly sink: CallSink,
    private readonly start: CallStart,
    attributes: Record<string, string | boolean> = start.serverAddress
      ? { 'server.address': start.serverAddress }
      : {},
  ) {
    const ctx = getLLMContext();
    this.attribution = {
      agent: start.agent ?? ctx?.agent,
      operation: start.operation ?? ctx?.operation,
      task: start.task ?? ctx?.task,
      dimensions: ctx ? dimensionsOf(ctx, sink.options.dimensions) : undefined,
    };
    const held = sink.budgets.guarding
      ? sink.budgets.reserve({
          provider: start.provider,
          model: start.model,
          apiOperation: start.apiOperation,
          agent: this.attribution.agent,
          operation: this.attribution.operation,
          dimensions: this.attribution.dimensions,
          body: start.body,
        })
      : undefined;
    this.span = sink.tracer.startSpan(`${start.apiOperation} ${start.model}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': start.apiOperation,
        'gen_ai.provider.name': start.provider,
        'gen_ai.request.model': start.model,
        ...attributes,
      },
    });
    if (held instanceof Promise) {
      this.admission = held.then(
        (reservation) => {
          this.reservation = reservation;
        },
        (error: unknown) => {
          this.refused(error);
          throw error;
        },
      );
    } else {
      this.reservation = held;
    }
  }

  /** The `gen_ai.provider.name` this call records. */
  get provider(): string {
    return this.start.provider;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Run `fn` with this call's span active (so nested instrumentation sees it as parent). */
  withSpan<T>(fn: () => T): T {
    return context.with(trace.setSpan(context.active(), this.span), fn);
  }

  /**
   * True when another recorder counted this call already (the AI SDK middleware over an
   * instrumented SDK client): `end()` then records nothing and releases the reservation uncharged.
   */
  protected get deferred(): boolean {
    return false;
  }

  /** Called by `end()` when the call is deferred to another recorder. */
  protected markDeferred(): void {}

  /** End the call once: record usage and cost, set the span's status, end the span. */
  end(result: CallEnd): void {
    if (this.ended) return;
    this.ended = true;
    const deferred = this.deferred;
    try {
      const errorType = result.outcome === 'error' ? errorTypeOf(result.error) : undefined;
      if (deferred) this.markDeferred();
      // The reservation is settled with the cost this record books (see BudgetSet.settleWith).
      else this.sink.budgets.settleWith(this.reservation, () => this.record(result, errorType));
      if (result.outcome === 'error') {
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
        if (deferred && errorType) this.span.setAttribute('error.type', errorType);
      } else if (result.outcome === 'aborted') {
        this.span.setAttribute('llm.outcome', 'aborted');
      }
    } catch (error) {
      reportFailure('ending the call', error);
    } finally {
      // Deferred to an inner recorder (which held its own reservation): release ours uncharged.
      if (deferred) this.sink.budgets.settle(this.reservation, undefined);
      this.span.end();
    }
  }

  /** The one `record()` of an ended call. */
  protected record(result: CallEnd, errorType: string | undefined): void {
    this.sink.record({
      provider: this.start.provider,
      model: this.start.model,
      // Provider-sent strings: bounded here, the one end every recorder of SDK calls goes through.
      responseModel: boundedText(result.responseModel),
      apiOperation: this.start.apiOperation,
      sdk: this.start.sdk,
      ...this.attribution,
      usage: result.usage,
      usageMissingReason: result.usageMissingReason,
      durationMs: performance.now() - this.started,
      outcome: result.outcome,
      errorType,
      costUsd: result.costUsd,
      serviceTier: boundedText(result.serviceTier),
      span: this.span,
    });
  }

  /** The guard refused the call after the tracker opened: no record, the span says why. */
  private refused(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorTypeOf(error) });
    this.span.setAttribute('error.type', errorTypeOf(error));
    this.span.end();
  }
}
