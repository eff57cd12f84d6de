/**
 * One language-model call seen by `llmCostMiddleware`: a CLIENT span named per semconv
 * (`chat gpt-4o`), timed, ended exactly once by `record()` — unless one of our SDK wrappers
 * recorded the same call underneath it.
 *
 * **Exactly once.** The middleware runs the model's `doGenerate`/`doStream` (and every read of the
 * stream) inside its own async scope. If any `record()` on the same telemetry happens inside that
 * scope — an instrumented OpenAI / Anthropic / Gemini SDK client used as the model's transport, or
 * a second `llmCostMiddleware` nested inside this one — the middleware defers to it: it ends its
 * span (marked `llm.cost.deferred = true`) without recording, so the call counts once, with the
 * innermost (most exact) usage. `@ai-sdk/openai` and the other first-party AI SDK providers talk to
 * the API with plain `fetch`, not the vendor SDK, so for them the middleware is the only recorder.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { BudgetReservation } from '../../budgets/budget-guard.js';
import { logger } from '../../diag.js';
import type { LLMTelemetry } from '../../telemetry.js';
import type { LLMCall } from '../../types.js';
import { errorMessage } from '../../util/error-message.js';
import { type CallEnd, errorTypeOf, openCall, recordCallEnd } from '../shared/call-tracker.js';

export interface MiddlewareCallStart {
  provider: string;
  model: string;
  apiOperation: string;
  agent?: string;
  operation?: string;
  task?: string;
  streaming: boolean;
  /** The call's prompt, tools and output cap, for the budget guard's estimate (only when guarding). */
  body?: unknown;
}

export type MiddlewareCallEnd = CallEnd;

/** Span attribute on a middleware span whose call an inner SDK wrapper recorded. */
export const ATTR_DEFERRED = 'llm.cost.deferred';

const scope = new AsyncLocalStorage<MiddlewareCall>();
const watched = new WeakSet<LLMTelemetry>();

/** Mark every enclosing middleware call when something else records inside it. */
function watchInnerRecords(telemetry: LLMTelemetry): void {
  if (watched.has(telemetry)) return;
  watched.add(telemetry);
  telemetry.onRecord(() => {
    for (let call = scope.getStore(); call !== undefined; call = call.parent) {
      if (call.telemetry === telemetry && !call.recording) call.innerRecorded = true;
    }
  });
}

export class MiddlewareCall {
  readonly span: Span;
  /** The middleware call this one runs inside (a nested middleware), if any. */
  readonly parent: MiddlewareCall | undefined;
  /** Another recorder counted this call (an instrumented SDK, a nested middleware). */
  innerRecorded = false;
  /** True while this call's own `record()` runs (so the listener ignores it). */
  recording = false;
  private ended = false;
  private readonly started = performance.now();
  private readonly attribution: Pick<LLMCall, 'agent' | 'operation' | 'task' | 'dimensions'>;
  private reservation?: BudgetReservation;
  /** With a shared budget store: resolves once admitted, rejects with the refusal (await before sending). */
  readonly admission?: Promise<void>;

  constructor(
    readonly telemetry: LLMTelemetry,
    private readonly start: MiddlewareCallStart,
  ) {
    this.parent = scope.getStore();
    watchInnerRecords(telemetry);
    const opened = openCall(telemetry, start, start.streaming ? { 'gen_ai.request.stream': true } : {});
    this.attribution = opened.attribution;
    this.reservation = opened.reservation;
    this.span = opened.span;
    if (opened.admission !== undefined) {
      this.admission = opened.admission.then(
        (reservation) => {
          this.reservation = reservation;
        },
        (error: unknown) => {
          if (!this.ended) {
            this.ended = true;
            this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorTypeOf(error) });
            this.span.end();
          }
          throw error;
        },
      );
    }
  }

  /** Run `fn` inside this call: our async scope (for deferral) and our span active (for nesting). */
  run<T>(fn: () => T): T {
    return scope.run(this, () => context.with(trace.setSpan(context.active(), this.span), fn));
  }

  /** The `gen_ai.provider.name` this call records. */
  get provider(): string {
    return this.start.provider;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** End once: record (unless an inner recorder already did), set the span's status, end it. */
  end(result: MiddlewareCallEnd): void {
    if (this.ended) return;
    this.ended = true;
    try {
      const errorType = result.outcome === 'error' ? errorTypeOf(result.error) : undefined;
      if (this.innerRecorded) {
        this.span.setAttribute(ATTR_DEFERRED, true);
      } else {
        this.recording = true;
        try {
          // The reservation is settled with the cost this record books (BudgetSet.settleWith).
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
        } finally {
          this.recording = false;
        }
      }
      if (result.outcome === 'error') {
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
        if (this.innerRecorded && errorType) this.span.setAttribute('error.type', errorType);
      } else if (result.outcome === 'aborted') {
        this.span.setAttribute('llm.outcome', 'aborted');
      }
    } catch (error) {
      logger.error(`ending the AI SDK call failed: ${errorMessage(error)}`);
    } finally {
      // Deferred to an inner recorder (which held its own reservation): release ours uncharged.
      if (this.innerRecorded) this.telemetry.budgets.settle(this.reservation, undefined);
      this.span.end();
    }
  }
}
