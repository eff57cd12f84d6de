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
import type { AnyFunction } from './wrapping.js';

/** The sink a wrapper records into now, or undefined to pass the call through unmeasured. */
export function activeSink(source: TelemetrySource, isActive: () => boolean): CallSink | undefined {
  const sink = isActive() ? source() : undefined;
  return sink === undefined || sink.isShutdown ? undefined : sink;
}

/** One opened call: its tracker, and the arguments to send when they differ from the caller's. */
export interface OpenedCall {
  readonly tracker: CallTracker;
  readonly sendArgs?: unknown[];
}

/**
 * Run `original.apply(resource, args)` as one measured call. `open` opens it (undefined: nothing
 * to measure); it may throw the guard's `BudgetExceededError`, which the caller gets as the SDK's
 * own rejected promise. `observe` watches the SDK's result and returns what the caller gets.
 */
export function callMeasured<C extends OpenedCall>(
  what: string,
  resource: unknown,
  original: AnyFunction,
  args: unknown[],
  open: () => C | undefined,
  observe: (result: unknown, call: C) => unknown,
): unknown {
  let call: C | undefined;
  try {
    call = open();
  } catch (error) {
    if (error instanceof BudgetExceededError) return refuseLikeSdk(resource, original, args, error);
    reportFailure(`starting ${what}`, error);
  }
  if (call === undefined) return original.apply(resource, args);
  const result = send(call.tracker, resource, original, call.sendArgs ?? args);
  try {
    return observe(result, call);
  } catch (error) {
    reportFailure(`observing ${what}`, error);
    return result;
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
