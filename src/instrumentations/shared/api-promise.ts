/**
 * Observe a Stainless-generated SDK `APIPromise` (openai 4–6, @anthropic-ai/sdk) **in place**:
 * the caller gets the very object the SDK returned, so `.withResponse()`, `.asResponse()`,
 * `_thenUnwrap` and `instanceof APIPromise` keep working. Calling `.then()` on it ourselves would
 * parse the body eagerly and break `.asResponse()`; instead we wrap the instance's
 * `parseResponse` (called only when the caller asks for parsed data, by `then`/`withResponse` and
 * the SDK's helpers alike) and watch `responsePromise` (the raw response, or the final error after
 * the SDK's retries) without consuming anything.
 */
import { reportFailure, safely } from './safely.js';

/** The fields of an APIPromise we use. All are plain properties in openai 4.x–6.x and anthropic ≤ 1.x. */
interface ApiPromiseLike extends Promise<unknown> {
  responsePromise?: Promise<{ response?: Response }>;
  parseResponse?: (...args: unknown[]) => unknown;
  parsedPromise?: unknown;
  asResponse?: () => Promise<Response>;
}

export interface ApiPromiseObserver {
  /** The parsed result (a JSON body object, or a `Stream`). */
  onParsed(result: unknown): void;
  /** The request failed (after the SDK's own retries), or parsing failed. */
  onError(error: unknown): void;
  /** The caller read the raw `Response` without parsing it (`.asResponse()` alone). */
  onRawResponse(response: Response): void;
}

const RECORDING = 'recording the SDK result';

/** Attach `observer` to `promise` without changing what the caller sees. Never throws. */
export function observeApiPromise(promise: unknown, observer: ApiPromiseObserver): void {
  try {
    const p = promise as ApiPromiseLike;
    if (!p || typeof p.then !== 'function') {
      safely(RECORDING, () => observer.onParsed(promise));
      return;
    }
    const original = p.parseResponse;
    if (
      typeof original !== 'function' ||
      !p.responsePromise ||
      typeof p.responsePromise.then !== 'function'
    ) {
      // Not a Stainless APIPromise we know (another version, a plain promise): observe the settled value.
      p.then(
        (value) => safely(RECORDING, () => observer.onParsed(value)),
        (error) => safely(RECORDING, () => observer.onError(error)),
      );
      return;
    }
    // Anonymous functions: under tsx a named function expression costs a `__name` call per request.
    p.parseResponse = function (this: unknown, ...args: unknown[]) {
      let parsed: unknown;
      try {
        parsed = original.apply(this, args);
      } catch (error) {
        safely(RECORDING, () => observer.onError(error));
        throw error;
      }
      if (parsed && typeof (parsed as Promise<unknown>).then === 'function') {
        (parsed as Promise<unknown>).then(
          (value) => safely(RECORDING, () => observer.onParsed(value)),
          (error) => safely(RECORDING, () => observer.onError(error)),
        );
      } else {
        safely(RECORDING, () => observer.onParsed(parsed));
      }
      return parsed;
    };
    p.responsePromise.then(undefined, (error: unknown) => safely(RECORDING, () => observer.onError(error)));
    const asResponse = p.asResponse;
    if (typeof asResponse === 'function') {
      p.asResponse = function (this: ApiPromiseLike) {
        const result = asResponse.call(this);
        // `withResponse()` calls parse() first; a bare `.asResponse()` never parses.
        if (this.parsedPromise === undefined) {
          return result.then((response) => {
            safely(RECORDING, () => observer.onRawResponse(response));
            return response;
          });
        }
        return result;
      };
    }
  } catch (error) {
    reportFailure('observing the SDK promise', error);
  }
}
