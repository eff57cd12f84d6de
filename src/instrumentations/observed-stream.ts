/**
 * Observe an SDK `Stream` (OpenAI, Anthropic: `{ iterator, controller }`, async-iterable) **in
 * place**: the object stays the SDK's own `Stream`, so `.tee()`, `.toReadableStream()` and
 * `.controller` keep working, since they all go through `stream.iterator()`, which we wrap.
 *
 * How a stream ends decides the outcome:
 * - the iterator finishes → `onEnd('done')`, or `onEnd('aborted')` when the stream's controller was
 *   aborted (the SDK swallows its own abort and just stops);
 * - the consumer stops early (`break`, `return()`) → `onEnd('aborted')`;
 * - the iterator throws (server cut the connection, in-stream error event) → `onError(error)`,
 *   or `onEnd('aborted')` when it is an abort error;
 * - the stream object is garbage-collected without being drained → `onEnd('abandoned')`.
 */
import { logger } from '../diag.js';
import { isAbortError } from './call-tracker.js';

export type StreamEnd = 'done' | 'aborted' | 'abandoned';

export interface ChunkObserver<T = unknown> {
  /** Look at one item; return `false` to hide it from the caller (injected usage-only chunks). */
  onChunk(item: T): boolean | undefined;
  onEnd(how: StreamEnd): void;
  onError(error: unknown): void;
}

interface StreamLike {
  iterator?: () => AsyncIterator<unknown>;
  controller?: { signal?: AbortSignal };
}

/** Ends calls whose stream object was dropped without being drained (no open span, no leak). */
const abandoned = new FinalizationRegistry<ChunkObserver>((observer) => {
  try {
    observer.onEnd('abandoned');
  } catch {
    // nothing to report to: the stream is gone
  }
});

/** Wrap `stream.iterator` so every iteration of this stream (tee, readable stream…) is observed. */
export function observeStream(stream: unknown, observer: ChunkObserver): boolean {
  const s = stream as StreamLike;
  if (!s || typeof s.iterator !== 'function') return false;
  const iterator = s.iterator;
  const token = {};
  const settle: ChunkObserver = {
    onChunk: (item) => observer.onChunk(item),
    onEnd(how) {
      abandoned.unregister(token);
      observer.onEnd(how);
    },
    onError(error) {
      abandoned.unregister(token);
      observer.onError(error);
    },
  };
  abandoned.register(stream as object, observer, token);
  s.iterator = function observedIterator(this: unknown) {
    const observed = observeIterator(
      iterator.call(this),
      settle,
      () => s.controller?.signal?.aborted === true,
    );
    // From here on the iterator, not the stream, is what the consumer holds (`tee()` drops the stream).
    abandoned.unregister(token);
    abandoned.register(observed, observer, token);
    return observed;
  };
  return true;
}

function guard(what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    logger.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function observeIterator(
  inner: AsyncIterator<unknown>,
  observer: ChunkObserver,
  wasAborted: () => boolean,
): AsyncIterableIterator<unknown> {
  let finished = false;
  const end = (how: StreamEnd) => {
    if (finished) return;
    finished = true;
    guard('ending the stream', () => observer.onEnd(how));
  };
  const fail = (error: unknown) => {
    if (finished) return;
    finished = true;
    // Not `wasAborted()` here: the SDK aborts its own controller on the way out of a failed stream.
    guard('ending the stream', () =>
      isAbortError(error) ? observer.onEnd('aborted') : observer.onError(error),
    );
  };
  // Plain promise chains rather than an async `next()`: one promise per chunk instead of three.
  const onResult = (
    result: IteratorResult<unknown>,
  ): IteratorResult<unknown> | Promise<IteratorResult<unknown>> => {
    if (result.done) {
      end(wasAborted() ? 'aborted' : 'done');
      return result;
    }
    if (finished) return result;
    let keep: boolean | undefined = true;
    try {
      keep = observer.onChunk(result.value);
    } catch (error) {
      logger.error(
        `reading a stream chunk failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return keep === false ? inner.next().then(onResult, onFailure) : result;
  };
  const onFailure = (error: unknown): never => {
    fail(error);
    throw error;
  };
  const observed: AsyncIterableIterator<unknown> = {
    next(...args: [] | [unknown]) {
      let pending: Promise<IteratorResult<unknown>>;
      try {
        pending = inner.next(...args);
      } catch (error) {
        return Promise.reject(onFailureSafe(error));
      }
      return Promise.resolve(pending).then(onResult, onFailure);
    },
    return(value?: unknown) {
      end('aborted');
      return inner.return ? inner.return(value) : Promise.resolve({ done: true as const, value });
    },
    throw(error?: unknown) {
      end('aborted');
      return inner.throw ? inner.throw(error) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return observed;
    },
  };
  const onFailureSafe = (error: unknown): unknown => {
    fail(error);
    return error;
  };
  return observed;
}
