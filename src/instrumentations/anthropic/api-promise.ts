/**
 * Observing an SDK `APIPromise` (a lazy Promise subclass: the body is parsed only when someone
 * awaits it) without changing it: the caller gets the very object the SDK returned, so
 * `.withResponse()`, `.asResponse()` and `instanceof APIPromise` all behave as without us.
 *
 * We shadow two methods on that one object (non-enumerable own properties):
 * - `parse()`, which `then`/`catch`/`finally`/`withResponse` all go through: we see the parsed
 *   data (message or Stream, same object passed on) or the SDK's error (the same object rethrown);
 * - `asResponse()`: when the caller reads the raw Response and no parse has begun, we see the
 *   HTTP outcome without touching the body (an eager parse would consume the caller's body).
 */
import { logger } from '../../diag.js';
import { errorMessage } from '../../util/error-message.js';

export interface APIPromiseObserver {
  onData(data: unknown): void;
  onError(error: unknown): void;
  /** The caller took the raw Response; usage is unknowable to us. */
  onRawResponse(): void;
}

interface LazyAPIPromise {
  parse(): Promise<unknown>;
  asResponse(): Promise<unknown>;
  then?: unknown;
}

function safely(what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    logger.error(`${what} failed: ${errorMessage(error)}`);
  }
}

function isLazyAPIPromise(value: unknown): value is LazyAPIPromise {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LazyAPIPromise).parse === 'function' &&
    typeof (value as LazyAPIPromise).asResponse === 'function'
  );
}

/** Attaches `observer` to `apiPromise` and returns it (the same object). */
export function observeAPIPromise<T>(apiPromise: T, observer: APIPromiseObserver): T {
  if (!isLazyAPIPromise(apiPromise)) {
    // Not the SDK's lazy promise (another version, or a plain promise): observe it on the side.
    const thenable = apiPromise as { then?: (a: (v: unknown) => void, b: (e: unknown) => void) => unknown };
    if (typeof thenable?.then === 'function') {
      thenable.then(
        (data) => safely('observing the response', () => observer.onData(data)),
        (error) => safely('observing the error', () => observer.onError(error)),
      );
    } else {
      safely('observing the response', () => observer.onData(apiPromise));
    }
    return apiPromise;
  }
  const target = apiPromise as LazyAPIPromise;
  const parse = target.parse;
  const asResponse = target.asResponse;
  let observed: Promise<unknown> | undefined;
  Object.defineProperty(target, 'parse', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function observedParse(this: LazyAPIPromise) {
      if (observed === undefined) {
        observed = parse.call(this).then(
          (data) => {
            safely('observing the response', () => observer.onData(data));
            return data;
          },
          (error: unknown) => {
            safely('observing the error', () => observer.onError(error));
            throw error;
          },
        );
      }
      return observed;
    },
  });
  Object.defineProperty(target, 'asResponse', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function observedAsResponse(this: LazyAPIPromise) {
      const result = asResponse.call(this);
      if (observed === undefined) {
        result.then(
          () => {
            if (observed === undefined) safely('observing the raw response', () => observer.onRawResponse());
          },
          (error: unknown) => {
            if (observed === undefined) safely('observing the error', () => observer.onError(error));
          },
        );
      }
      return result;
    },
  });
  return apiPromise;
}
