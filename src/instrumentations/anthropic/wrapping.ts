/**
 * Method wrapping shared by the Anthropic and Google GenAI instrumentations: replace one method
 * (on a prototype or on one object) with a wrapper that remembers the original, so that
 * - a second patch never wraps our own wrapper (it wraps the original instead), and an instance
 *   patched on top of a patched prototype calls the original directly: one call, one record;
 * - undo restores the original when ours is still installed, and otherwise turns our wrapper into
 *   a pass-through (someone wrapped it after us; restoring would drop their wrapper).
 * Also the stream-ending vocabulary both providers use.
 */
import { isAbortError } from '../shared/call-tracker.js';

const ORIGINAL = Symbol.for('llm-cost-otel.original');

// biome-ignore lint/suspicious/noExplicitAny: wraps arbitrary SDK methods
export type AnyFunction = (this: unknown, ...args: any[]) => any;

/** The function our wrapper stands for, or `fn` itself when it is not ours. */
export function originalOf(fn: AnyFunction): AnyFunction {
  return ((fn as unknown as Record<symbol, unknown>)[ORIGINAL] as AnyFunction | undefined) ?? fn;
}

export function isOurWrapper(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[ORIGINAL] !== undefined;
}

/**
 * Replaces `target[name]` with `makeWrapper(original, isActive)`. Returns the undo function, or
 * undefined when `target[name]` is not a function (an SDK version without that method).
 */
export function wrapMethod(
  target: object,
  name: string,
  makeWrapper: (original: AnyFunction, isActive: () => boolean) => AnyFunction,
): (() => void) | undefined {
  const record = target as Record<string, unknown>;
  const current = record[name];
  if (typeof current !== 'function') return undefined;
  const own = Object.getOwnPropertyDescriptor(target, name);
  let active = true;
  const wrapper = makeWrapper(originalOf(current as AnyFunction), () => active);
  Object.defineProperty(wrapper, ORIGINAL, { value: originalOf(current as AnyFunction) });
  Object.defineProperty(wrapper, 'name', { value: (current as AnyFunction).name, configurable: true });
  Object.defineProperty(target, name, {
    value: wrapper,
    writable: true,
    configurable: true,
    enumerable: own?.enumerable ?? false,
  });
  return () => {
    active = false;
    if (record[name] !== wrapper) return;
    if (own) Object.defineProperty(target, name, own);
    else delete record[name];
  };
}

/** Runs every undo once, newest first. */
export function undoAll(undos: Array<(() => void) | undefined>): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const undo of undos.reverse()) undo?.();
  };
}

/** `llm_usage_missing_total{reason}` values of the stream and request wrappers. */
export const USAGE_MISSING = {
  /** A stream ended without its final usage; whatever was reported earlier is recorded. */
  streamNoUsage: 'stream_no_usage',
  /** The consumer stopped reading (break, AbortSignal) or the connection was cut mid-stream. */
  streamAborted: 'stream_aborted',
  /** The provider sent an error mid-stream; usage reported before it is recorded. */
  streamError: 'stream_error',
  /** A request aborted before its response arrived. */
  aborted: 'aborted',
  /** The API reports no usage for this operation (Gemini API embeddings). */
  notReported: 'not_reported',
  /** The caller read the raw response (`.asResponse()`), which we do not parse. */
  rawResponse: 'raw_response',
} as const;

import { isConnectionCut } from '../shared/call-tracker.js';

export { isConnectionCut };

/** How a stream read that threw ends: `aborted` for the consumer's abort or a cut, else `error`. */
export function streamFailureOutcome(error: unknown, signalAborted: boolean): 'aborted' | 'error' {
  return signalAborted || isAbortError(error) || isConnectionCut(error) ? 'aborted' : 'error';
}
