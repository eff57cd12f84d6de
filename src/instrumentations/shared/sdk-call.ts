/**
 * The life of one measured SDK method call, the same in every SDK wrapper (OpenAI, Anthropic,
 * Google GenAI): open the call (a budget refusal reaches the caller the SDK's way, nothing sent),
 * send the request inside the call's span — after the shared budget store admitted it — and
 * observe the result. Our own failures are reported and the call goes on unmeasured; the SDK's
 * errors reach the caller unchanged, and so does what the SDK returned unless `observe` hands back
 * an observed equivalent (the same items, the same type).
 */
import { BudgetExceededError } from '../../budgets/errors.js';
import type { CallSink, TelemetrySource } from './call-sink.js';
import type { CallTracker } from './call-tracker.js';
import { callGated, refuseLikeSdk } from './request-gate.js';
import { reportFailure } from './safely.js';
import { isAbortError } from './sdk-errors.js';
import { USAGE_MISSING } from './usage-missing.js';
import type { AnyFunction } from './wrapping.js';

/** One opened call: its tracker, and the arguments to send when they differ from the caller's. */
export interface OpenedCall {
  readonly tracker: CallTracker;
  readonly sendArgs?: unknown[];
}

/** What one SDK method's wrapper does with a call: open it, then observe what the SDK returned. */
export interface MeasuredMethod<C extends OpenedCall> {
  /** Names the call in diagnostics: `an OpenAI call`. */
  what: string;
  /**
   * Open the call, or undefined when there is nothing to measure. May throw the budget guard's
   * `BudgetExceededError`, which the caller gets as the SDK's own rejected promise, nothing sent.
   */
  open(sink: CallSink, resource: unknown, args: unknown[]): C | undefined;
  /** Watch the SDK's result; returns what the caller gets (the result, or an observed equivalent). */
  observe(result: unknown, call: C, args: unknown[]): unknown;
}

/**
 * The wrapper for one SDK method (see ./wrapping.ts for `isActive`): unmeasured when the source
 * has no live sink or the wrapper was undone; otherwise one measured call per invocation.
 */
export function measuredMethod<C extends OpenedCall>(
  source: TelemetrySource,
  original: AnyFunction,
  isActive: () => boolean,
  method: MeasuredMethod<C>,
): AnyFunction {
  // Anonymous: under tsx a named function expression costs a `__name` call per request.
  return function (this: unknown, ...args: unknown[]) {
    const sink = isActive() ? source() : undefined;
    if (sink === undefined || sink.isShutdown) return original.apply(this, args);
    let call: C | undefined;
    try {
      call = method.open(sink, this, args);
    } catch (error) {
      if (error instanceof BudgetExceededError) return refuseLikeSdk(this, original, args, error);
      reportFailure(`starting ${method.what}`, error);
    }
    if (call === undefined) return original.apply(this, args);
    const result = send(call.tracker, this, original, call.sendArgs ?? args);
    try {
      return method.observe(result, call, args);
    } catch (error) {
      reportFailure(`observing ${method.what}`, error);
      endUnobserved(call.tracker, result);
      return result;
    }
  };
}

/**
 * Our observation failed but the request went out: the call still ends when the SDK's result
 * settles — its span closed, a budget reservation settled, the request counted (usage missing) —
 * rather than staying open for good.
 */
function endUnobserved(tracker: CallTracker, result: unknown): void {
  const missing = { outcome: 'success', usageMissingReason: USAGE_MISSING.missing } as const;
  try {
    const then = (result as PromiseLike<unknown> | null)?.then;
    if (typeof then !== 'function') {
      tracker.end(missing);
      return;
    }
    then.call(
      result,
      () => tracker.end(missing),
      (error: unknown) => tracker.end({ outcome: isAbortError(error) ? 'aborted' : 'error', error }),
    );
  } catch (error) {
    reportFailure('ending an unobserved call', error);
  }
}

/**
 * Call the SDK method inside the call's span — held until the shared budget store admitted the
 * call when the guard's answer is a round trip (see request-gate.ts). A synchronous throw ends the
 * call and is rethrown unchanged.
 */
function send(tracker: CallTracker, resource: unknown, original: AnyFunction, args: unknown[]): unknown {
  try {
    const admission = tracker.admission;
    if (admission === undefined) return tracker.withSpan(() => original.apply(resource, args));
    return tracker.withSpan(
      () =>
        callGated(resource, original, args, admission)?.result ??
        admission.then(() => original.apply(resource, args)),
    );
  } catch (error) {
    tracker.end({ outcome: isAbortError(error) ? 'aborted' : 'error', error });
    throw error;
  }
}
