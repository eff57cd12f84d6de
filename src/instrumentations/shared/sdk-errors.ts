/** How an SDK call failed, as every wrapper classifies it: error class, abort, connection cut. */
import { boundedText } from '../../bounded-text.js';

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

/** How a stream read that threw ends: `aborted` for the consumer's abort or a cut, else `error`. */
export function streamFailureOutcome(error: unknown, signalAborted: boolean): 'aborted' | 'error' {
  return signalAborted || isAbortError(error) || isConnectionCut(error) ? 'aborted' : 'error';
}
