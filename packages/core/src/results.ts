/**
 * `AsyncResult` (Python's `ApplyResult`) and the map result assembled from chunks.
 * @module
 */
import { PoolStateError, TimeoutError } from './errors.js';
import { cacheIndex, type Deadline, deadlineOf, type Job, type JobHost } from './job.js';
import { dense, Segments } from './segments.js';
import { maxTimerMs } from './timers.js';

/** Callbacks run once, just before the result settles. A callback that throws is ignored. */
export interface ResultCallbacks<R> {
  /**
   * Called with the value when the call succeeds.
   * @default none
   */
  callback?: ((value: R) => void) | undefined;
  /**
   * Called with the error when the call fails.
   * @default none
   */
  errorCallback?: ((error: unknown) => void) | undefined;
}

const noop = (): void => {};

/**
 * The one executor every result's promise is made with: it hands out the resolvers through
 * these two, read (and cleared) at once, so a call allocates no closure for them.
 */
let capturedResolve: (value: never) => void = noop;
let capturedReject: (error: unknown) => void = noop;
function capture(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** Internal hooks: not part of the public surface, shared by the pool's own modules. */
export const settle: unique symbol = Symbol('settle');
/** The result's own promise, already marked handled: what `apply()` and `map()` return. */
export const promiseOf: unique symbol = Symbol('promise');

/**
 * The pending result of `applyAsync`, `mapAsync` or `starmapAsync`. It is `PromiseLike`, so
 * `await result` works, and it has Python's `ready()`, `successful()`, `wait()` and `get()`.
 * A rejected result that nobody awaits never becomes an unhandled rejection.
 */
export class AsyncResult<R> implements PromiseLike<R> {
  readonly #promise: Promise<R>;
  #resolve: (value: R) => void;
  #reject: (error: unknown) => void;
  #state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  #callbacks: ResultCallbacks<R> | undefined;

  /** @internal Made by the pool; users get one from `applyAsync` and friends. */
  constructor(callbacks?: ResultCallbacks<R>) {
    this.#callbacks = callbacks;
    this.#promise = new Promise<R>(capture);
    this.#resolve = capturedResolve as (value: R) => void;
    this.#reject = capturedReject;
    capturedResolve = capturedReject = noop;
  }

  /** Attaches callbacks for the value or the error, as on a Promise. */
  then<T = R, E = never>(
    onFulfilled?: ((value: R) => T | PromiseLike<T>) | null,
    onRejected?: ((error: unknown) => E | PromiseLike<E>) | null,
  ): Promise<T | E> {
    return this.#promise.then(onFulfilled, onRejected);
  }

  /** Attaches a callback for the error only, as on a Promise. */
  catch<E = never>(onRejected?: ((error: unknown) => E | PromiseLike<E>) | null): Promise<R | E> {
    return this.#promise.catch(onRejected);
  }

  /** Attaches a callback for settlement either way, as on a Promise. */
  finally(onFinally?: (() => void) | null): Promise<R> {
    return this.#promise.finally(onFinally);
  }

  /** Whether the call has settled. */
  ready(): boolean {
    return this.#state !== 'pending';
  }

  /** @internal As `ready()`, for the pool's own checks (`Job.settled`): one step less on the hot path. */
  get settled(): boolean {
    return this.#state !== 'pending';
  }

  /** Whether the call succeeded. Throws `PoolStateError` if it has not settled yet. */
  successful(): boolean {
    if (this.#state === 'pending') throw new PoolStateError('AsyncResult is not ready');
    return this.#state === 'fulfilled';
  }

  /**
   * Resolves once the call has settled, or once `ms` milliseconds have passed. Never rejects,
   * except with `RangeError` for a bad `ms`.
   */
  wait(ms?: number): Promise<void> {
    const bad = badTimeout(ms);
    if (bad) return Promise.reject(bad);
    if (this.#state !== 'pending') return Promise.resolve();
    const settled = this.#promise.then(noop, noop);
    return ms === undefined ? settled : race(settled, ms, () => undefined);
  }

  /**
   * The value, or the error as a rejection. With `ms`, rejects `TimeoutError` if the call has
   * not settled in time; the call itself goes on and can be awaited again.
   */
  get(ms?: number): Promise<R> {
    const bad = badTimeout(ms);
    if (bad) return Promise.reject(bad);
    if (ms === undefined || this.#state !== 'pending') return this.#promise;
    return race(this.#promise, ms, () => {
      throw new TimeoutError(`Result not ready after ${ms} ms`);
    });
  }

  /** @internal */
  get [promiseOf](): Promise<R> {
    return this.#promise;
  }

  /** @internal Settles once; later calls are ignored. Callbacks run first, and cannot harm it. */
  [settle](ok: boolean, value: unknown): void {
    if (this.#state !== 'pending') return;
    this.#state = ok ? 'fulfilled' : 'rejected';
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    try {
      if (ok) callbacks?.callback?.(value as R);
      else callbacks?.errorCallback?.(value);
    } catch {
      // A throwing callback is the caller's bug; the result must still settle.
    }
    if (ok) {
      this.#resolve(value as R);
    } else {
      // Marked handled as it rejects: a result nobody awaits is never an unhandled rejection.
      this.#promise.catch(noop);
      this.#reject(value);
    }
  }

  get [Symbol.toStringTag](): string {
    return 'AsyncResult';
  }
}

/** The job behind `apply` / `applyAsync`: one task unit. */
export class ApplyResult<R> extends AsyncResult<R> implements Job {
  /** @internal */
  [cacheIndex] = -1;
  [deadlineOf]: Deadline | undefined = undefined;
  readonly #host: JobHost;

  constructor(host: JobHost, callbacks?: ResultCallbacks<R>) {
    super(callbacks);
    this.#host = host;
  }

  accept(_index: number, ok: boolean, value: unknown): void {
    this.#host.release(this);
    this[settle](ok, value);
  }

  abort(error: unknown): void {
    this.accept(0, false, error);
  }
}

/**
 * From how many items {@link MapResult.prepare} makes a map's result array ahead of its first
 * answer: an array this long lies past the engine's bound for young objects (128 KiB of 8-byte
 * slots), so it is mapped fresh and faulted in, page by page (~35 ms for a million items here).
 */
const largeResult = 16_384;

/**
 * The job behind `map` and `starmap`: values are assembled from chunks in input order, the first
 * error is kept, and, as in Python, it settles only once every chunk is back.
 */
export class MapResult<R> extends AsyncResult<R[]> implements Job {
  /** @internal */
  [cacheIndex] = -1;
  [deadlineOf]: Deadline | undefined = undefined;
  readonly #host: JobHost;
  readonly #chunksize: number;
  readonly #length: number;
  /** Made by {@link prepare}, else with the first chunk back. */
  #values: R[] | undefined;
  #left: number;
  #error: { value: unknown } | undefined;

  constructor(host: JobHost, length: number, chunksize: number, callbacks?: ResultCallbacks<R[]>) {
    super(callbacks);
    this.#host = host;
    this.#chunksize = chunksize;
    this.#length = length;
    this.#left = Math.ceil(length / chunksize);
  }

  /**
   * Makes a big map's result array, once its first chunks are on their way and before any comes
   * back, while the workers run them. Made at submission, it delayed the first chunk's send; made
   * with the first answer, it held up every other answer and send (W4: ~35 ms each).
   */
  prepare(): void {
    if (this.#length >= largeResult && !this.ready()) this.#allocate();
  }

  #allocate(): R[] {
    this.#values ??= new Array<R>(this.#length);
    return this.#values;
  }

  accept(index: number, ok: boolean, value: unknown): void {
    if (this.ready()) return;
    if (ok && !this.#error) {
      const offset = index * this.#chunksize;
      const all = this.#allocate();
      if (value instanceof Segments) value.copyInto(all, offset);
      else for (let i = 0, values = value as R[]; i < values.length; i++) all[offset + i] = values[i]!;
    } else if (!ok && !this.#error) {
      this.#error = { value };
    }
    if (--this.#left > 0) return;
    this.#host.release(this);
    if (this.#error) this[settle](false, this.#error.value);
    else this[settle](true, this.#packed());
  }

  /**
   * The values, as a packed array below {@link largeResult}: one made at its length stays "holey",
   * which V8 clones as a sparse array (twice the bytes), and a map's result is often sent on, as
   * another call's argument. The copy costs ~2.5 µs a thousand; a big result stays as it is made,
   * since growing one by `push` faults its pages in twice over.
   */
  #packed(): R[] {
    const values = this.#values ?? [];
    return values.length < largeResult ? (dense(values) as R[]) : values;
  }

  abort(error: unknown): void {
    if (this.ready()) return;
    this.#host.release(this);
    this[settle](false, error);
  }
}

/** A bad `ms` for wait/get: not a number ≥ 0, or finite past what a timer keeps (`Infinity` waits for ever). */
function badTimeout(ms: unknown): RangeError | undefined {
  if (ms === undefined || ms === Number.POSITIVE_INFINITY) return undefined;
  if (typeof ms !== 'number' || !(ms >= 0)) return new RangeError(`Expected a timeout in milliseconds ≥ 0, got ${String(ms)}`);
  if (ms > maxTimerMs) return new RangeError(`Expected a timeout of at most ${maxTimerMs} ms (about 24.8 days, the longest a timer waits), or Infinity, got ${ms}`);
  return undefined;
}

function race<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  if (ms === Number.POSITIVE_INFINITY) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
