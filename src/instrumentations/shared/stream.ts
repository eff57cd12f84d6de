/**
 * Stream observation for every SDK instrumentation, one `ChunkObserver` contract, two shapes:
 * - `observeStream`: a Stainless SDK `Stream` (OpenAI, Anthropic: `{ iterator, controller }`,
 *   async-iterable), observed **in place**: the object stays the SDK's own `Stream`, so `.tee()`,
 *   `.toReadableStream()` and `.controller` keep working, since they all go through
 *   `stream.iterator()`, which we wrap;
 * - `observeAsyncIterable`: any other async iterable (Google GenAI's async generator), returned
 *   as an async generator of the very same items.
 *
 * How a stream ends decides the outcome:
 * - the iterator finishes → `onEnd('done')`, or `onEnd('aborted')` when the stream's controller was
 *   aborted (the SDK swallows its own abort and just stops);
 * - the consumer stops early (`break`, `return()`) → `onEnd('aborted')`;
 * - the iterator throws (server cut the connection, in-stream error event) → `onError(error)`,
 *   or `onEnd('aborted')` when it is an abort error;
 * - the stream object is garbage-collected without being drained → `onEnd('abandoned')`.
 */
import { reportFailure, safely } from './safely.js';
import { isAbortError } from './sdk-errors.js';

export type StreamEnd = 'done' | 'aborted' | 'abandoned';

export interface ChunkObserver<T = unknown> {
  /** Look at one item; return `false` to hide it from the caller (injected usage-only chunks). */
  onChunk(item: T): boolean | undefined;
  onEnd(how: StreamEnd): void;
  onError(error: unknown): void;
  /** The consumer started reading (the first `iterator()` call). */
  onStart?(): void;
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
  const settle = new Settle(observer);
  abandoned.register(stream as object, observer, settle);
  // Anonymous on purpose: a named function expression costs a `__name` call per stream under tsx.
  s.iterator = function (this: unknown) {
    safely('starting the stream', () => settle.onStart());
    const observed = new ObservedIterator(iterator.call(this), settle, s);
    // From here on the iterator, not the stream, is what the consumer holds (`tee()` drops the stream).
    abandoned.unregister(settle);
    abandoned.register(observed, observer, settle);
    return observed;
  };
  return true;
}

/**
 * The observer as the iterators see it: ending it also drops the FinalizationRegistry entry (the
 * Settle object itself is the unregister token; it holds the observer, never the stream).
 */
class Settle implements ChunkObserver {
  private started = false;

  constructor(private readonly observer: ChunkObserver) {}

  onStart(): void {
    if (this.started) return;
    this.started = true;
    this.observer.onStart?.();
  }

  onChunk(item: unknown): boolean | undefined {
    return this.observer.onChunk(item);
  }

  onEnd(how: StreamEnd): void {
    abandoned.unregister(this);
    this.observer.onEnd(how);
  }

  onError(error: unknown): void {
    abandoned.unregister(this);
    this.observer.onError(error);
  }
}

/**
 * One observed iteration. A class rather than a set of closures: per stream, one object and two
 * bound callbacks; per chunk, one `.then()` on the SDK's promise.
 */
class ObservedIterator implements AsyncIterableIterator<unknown> {
  private finished = false;
  private readonly onResult: (
    result: IteratorResult<unknown>,
  ) => IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
  private readonly onFailure: (error: unknown) => never;

  constructor(
    private readonly inner: AsyncIterator<unknown>,
    private readonly observer: ChunkObserver,
    private readonly stream: StreamLike,
  ) {
    this.onResult = (result) => this.result(result);
    this.onFailure = (error) => {
      this.fail(error);
      throw error;
    };
  }

  next(...args: [] | [unknown]): Promise<IteratorResult<unknown>> {
    let pending: Promise<IteratorResult<unknown>>;
    try {
      // The caller's arguments as given (none, or one), without a spread call per chunk.
      pending = args.length === 0 ? this.inner.next() : this.inner.next(args[0]);
    } catch (error) {
      this.fail(error);
      return Promise.reject(error);
    }
    // Plain promise chains rather than an async `next()`: one promise per chunk instead of three.
    return Promise.resolve(pending).then(this.onResult, this.onFailure);
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    this.end('aborted');
    const inner = this.inner;
    return inner.return ? inner.return(value) : Promise.resolve({ done: true as const, value });
  }

  throw(error?: unknown): Promise<IteratorResult<unknown>> {
    this.end('aborted');
    const inner = this.inner;
    return inner.throw ? inner.throw(error) : Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<unknown> {
    return this;
  }

  private result(
    result: IteratorResult<unknown>,
  ): IteratorResult<unknown> | Promise<IteratorResult<unknown>> {
    if (result.done) {
      // The SDK swallows its own controller's abort and just stops.
      this.end(this.stream.controller?.signal?.aborted === true ? 'aborted' : 'done');
      return result;
    }
    if (this.finished) return result;
    let keep: boolean | undefined = true;
    try {
      keep = this.observer.onChunk(result.value);
    } catch (error) {
      reportFailure('reading a stream chunk', error);
    }
    return keep === false ? this.inner.next().then(this.onResult, this.onFailure) : result;
  }

  private end(how: StreamEnd): void {
    if (this.finished) return;
    this.finished = true;
    try {
      this.observer.onEnd(how);
    } catch (error) {
      reportFailure('ending the stream', error);
    }
  }

  private fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    // Not the controller's state here: the SDK aborts its own controller on the way out of a failed stream.
    try {
      if (isAbortError(error)) this.observer.onEnd('aborted');
      else this.observer.onError(error);
    } catch (failure) {
      reportFailure('ending the stream', failure);
    }
  }
}

/**
 * The items of `source`, observed as they are read: finished → `onEnd('done')`; the consumer
 * stopped early → `onEnd('aborted')`; a read threw → `onError(error)` (or `onEnd('aborted')` for
 * an abort error); dropped unread and collected → `onEnd('abandoned')`.
 */
export function observeAsyncIterable<T>(
  source: AsyncIterable<T>,
  observer: ChunkObserver,
): AsyncGenerator<T, void, undefined> {
  const settle = new Settle(observer);
  const observed = observedItems(source, settle);
  abandoned.register(observed, observer, settle);
  return observed;
}

async function* observedItems<T>(
  source: AsyncIterable<T>,
  observer: Settle,
): AsyncGenerator<T, void, undefined> {
  observer.onStart();
  let settled = false;
  try {
    for await (const item of source) {
      let keep: boolean | undefined = true;
      try {
        keep = observer.onChunk(item);
      } catch (error) {
        reportFailure('reading a stream chunk', error);
      }
      if (keep !== false) yield item;
    }
    settled = true;
    safely('ending the stream', () => observer.onEnd('done'));
  } catch (error) {
    settled = true;
    safely('ending the stream', () =>
      isAbortError(error) ? observer.onEnd('aborted') : observer.onError(error),
    );
    throw error;
  } finally {
    // The consumer stopped reading (break / return()): the request is cut short.
    if (!settled) safely('ending the stream', () => observer.onEnd('aborted'));
  }
}

/**
 * A `ReadableStream` of the same items in the same order, read on demand (high-water mark 0: never
 * ahead of the consumer), observed like the other shapes; `cancel()` by the consumer is
 * `onEnd('aborted')`. `read` runs each read of the source (e.g. inside the caller's async scope).
 */
export function observeReadableStream<T>(
  source: ReadableStream<T>,
  observer: ChunkObserver,
  read: <R>(fn: () => R) => R = (fn) => fn(),
): ReadableStream<T> {
  const settle = new Settle(observer);
  const reader = source.getReader();
  const end = (how: StreamEnd) => safely('ending the stream', () => settle.onEnd(how));
  const observed = new ReadableStream<T>(
    {
      async pull(controller) {
        for (;;) {
          let next: Awaited<ReturnType<typeof reader.read>>;
          try {
            next = await read(() => reader.read());
          } catch (error) {
            safely('ending the stream', () =>
              isAbortError(error) ? settle.onEnd('aborted') : settle.onError(error),
            );
            controller.error(error);
            return;
          }
          if (next.done) {
            end('done');
            controller.close();
            return;
          }
          let keep: boolean | undefined = true;
          try {
            keep = settle.onChunk(next.value);
          } catch (error) {
            reportFailure('reading a stream chunk', error);
          }
          if (keep !== false) {
            controller.enqueue(next.value);
            return;
          }
        }
      },
      async cancel(reason) {
        end('aborted');
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  abandoned.register(observed, observer, settle);
  return observed;
}
