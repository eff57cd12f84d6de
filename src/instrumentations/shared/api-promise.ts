/**
 * Observe a Stainless-generated SDK `APIPromise` (OpenAI 4–6, Anthropic) **in place**: the caller
 * gets the very object the SDK returned, so `.withResponse()`, `.asResponse()` and `_thenUnwrap`
 * keep working. Calling `.then()` on it ourselves would parse the body eagerly and break
 * `.asResponse()`; instead we wrap the instance's `parseResponse` (called only when the caller asks
 * for parsed data) and watch `responsePromise` (the raw response, or the final error after the
 * SDK's retries) without consuming anything.
 */
import { logger } from '../../diag.js';
import { errorMessage } from '../../util/error-message.js';

/** The fields of an APIPromise we use. All are plain properties in openai 4.x–6.x. */
interface ApiPromiseLike extends Promise<unknown> {
  responsePromise?: Promise<{ response?: Response }>;
  parseResponse?: (...args: unknown[]) => unknown;
  parsedPromise?: unknown;
  asResponse?: () => Promise<Response>;
}

export interface ApiPromiseObserver {
  /** The parsed result (a JSON body object, or a `Stream`). May return a replacement — we never do. */
  onParsed(result: unknown): void;
  /** The request failed (after the SDK's own retries), or parsing failed. */
  onError(error: unknown): void;
  /** The caller read the raw `Response` without parsing it (`.asResponse()` alone). */
  onRawResponse(response: Response): void;
}

function report(what: string, error: unknown): void {
  logger.error(`${what} failed: ${errorMessage(error)}`);
}

/** Attach `observer` to `promise` without changing what the caller sees. Never throws. */
export function observeApiPromise(promise: unknown, observer: ApiPromiseObserver): void {
  try {
    const p = promise as ApiPromiseLike;
    if (!p || typeof p.then !== 'function') return;
    const original = p.parseResponse;
    if (
      typeof original !== 'function' ||
      !p.responsePromise ||
      typeof p.responsePromise.then !== 'function'
    ) {
      // Not a Stainless APIPromise we know: observe the settled value (parses eagerly).
      p.then(
        (value) => safely(() => observer.onParsed(value)),
        (error) => safely(() => observer.onError(error)),
      );
      return;
    }
    // Anonymous functions: under tsx a named function expression costs a `__name` call per request.
    p.parseResponse = function (this: unknown, ...args: unknown[]) {
      let parsed: unknown;
      try {
        parsed = original.apply(this, args);
      } catch (error) {
        safely(() => observer.onError(error));
        throw error;
      }
      if (parsed && typeof (parsed as Promise<unknown>).then === 'function') {
        (parsed as Promise<unknown>).then(
          (value) => safely(() => observer.onParsed(value)),
          (error) => safely(() => observer.onError(error)),
        );
      } else {
        safely(() => observer.onParsed(parsed));
      }
      return parsed;
    };
    p.responsePromise.then(undefined, (error: unknown) => safely(() => observer.onError(error)));
    const asResponse = p.asResponse;
    if (typeof asResponse === 'function') {
      p.asResponse = function (this: ApiPromiseLike) {
        const result = asResponse.call(this);
        // `withResponse()` calls parse() first; a bare `.asResponse()` never parses.
        if (this.parsedPromise === undefined) {
          return result.then((response) => {
            safely(() => observer.onRawResponse(response));
            return response;
          });
        }
        return result;
      };
    }
  } catch (error) {
    report('observing the SDK promise', error);
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    report('recording the SDK result', error);
  }
}
