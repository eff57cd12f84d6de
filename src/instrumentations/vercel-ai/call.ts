/**
 * One language-model call seen by `llmCostMiddleware`: a `CallTracker` (span, timing, one
 * `record()`) that defers to any recorder underneath it.
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
import type { CallSink } from '../shared/call-sink.js';
import { type CallEnd, type CallStart, CallTracker } from '../shared/call-tracker.js';

export interface MiddlewareCallStart extends Omit<CallStart, 'serverAddress' | 'sdk' | 'streaming'> {
  streaming: boolean;
  /** The call's prompt, tools and output cap, for the budget guard's estimate (only when guarding). */
  body?: unknown;
}

export type MiddlewareCallEnd = CallEnd;

/** Span attribute on a middleware span whose call an inner SDK wrapper recorded. */
export const ATTR_DEFERRED = 'llm.cost.deferred';

const scope = new AsyncLocalStorage<MiddlewareCall>();
const watched = new WeakSet<CallSink>();

/** Mark every enclosing middleware call when something else records inside it. */
function watchInnerRecords(sink: CallSink): void {
  if (watched.has(sink)) return;
  watched.add(sink);
  sink.onRecord(() => {
    for (let call = scope.getStore(); call !== undefined; call = call.parent) {
      if (call.sink === sink && !call.recording) call.innerRecorded = true;
    }
  });
}

export class MiddlewareCall extends CallTracker {
  /** The middleware call this one runs inside (a nested middleware), if any. */
  readonly parent: MiddlewareCall | undefined;
  /** Another recorder counted this call (an instrumented SDK, a nested middleware). */
  innerRecorded = false;
  /** True while this call's own `record()` runs (so the listener ignores it). */
  recording = false;

  constructor(sink: CallSink, start: MiddlewareCallStart) {
    super(sink, start, start.streaming ? { 'gen_ai.request.stream': true } : {});
    this.parent = scope.getStore();
    watchInnerRecords(sink);
  }

  /** Run `fn` inside this call: our async scope (for deferral) and our span active (for nesting). */
  run<T>(fn: () => T): T {
    return scope.run(this, () => this.withSpan(fn));
  }

  protected override get deferred(): boolean {
    return this.innerRecorded;
  }

  protected override markDeferred(): void {
    this.span.setAttribute(ATTR_DEFERRED, true);
  }

  protected override record(result: CallEnd, errorType: string | undefined): void {
    this.recording = true;
    try {
      super.record(result, errorType);
    } finally {
      this.recording = false;
    }
  }
}
