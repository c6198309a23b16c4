/**
 * The pool's public option types, and the type machinery that checks task names, arguments and
 * results against the task module: `new Pool<typeof import('./tasks.js')>(…)`.
 * @module
 */
import type { Adapter } from './adapter.js';
import type { ResultCallbacks } from './results.js';

// biome-ignore lint: `any` is what lets any function's parameters be inferred.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (...args: any[]) => any;

/** A task module's shape: its exports. Untyped pools accept any name and any arguments. */
export type TaskModule = object;

/** The default module type: every name is a task taking anything. */
export type AnyTasks = Record<string, AnyFunction>;

/** The names of `M`'s exports that are functions. */
export type TaskName<M> = string extends keyof M
  ? string
  : { [K in keyof M]: M[K] extends AnyFunction ? K : never }[keyof M] & string;

/** The function a task name stands for. */
export type TaskFunction<M, K> = K extends keyof M ? (M[K] extends AnyFunction ? M[K] : never) : never;

/** The argument tuple of task `K`. */
export type TaskArgs<M, K> = Parameters<TaskFunction<M, K>>;

/** What task `K` resolves to (async tasks are awaited in the worker). */
export type TaskResult<M, K> = Awaited<ReturnType<TaskFunction<M, K>>>;

/** Options of `new Pool()`. */
export interface PoolOptions {
  /** Where workers run: `nodeWorkers()`, `nodeProcesses()`, `denoWorkers()`, `bunWorkers()`, `inline()`. */
  adapter: Adapter;
  /**
   * The task module: a URL, a URL string, or a file path (absolute or relative to the cwd).
   * @default none: only function tasks run
   */
  module?: string | URL | undefined;
  /**
   * Number of workers, an integer ≥ 1.
   * @default the adapter's default: the runtime's available parallelism
   */
  processes?: number | undefined;
  /**
   * Export name (or self-contained function) run once in each worker before its first task.
   * @default none
   */
  initializer?: string | AnyFunction | undefined;
  /**
   * Arguments of `initializer`.
   * @default []
   */
  initargs?: readonly unknown[] | undefined;
  /**
   * Retire and replace a worker after this many tasks (a chunk counts as one).
   * @default none: a worker lives as long as the pool
   */
  maxTasksPerChild?: number | undefined;
}

/** The part of `AbortSignal` the pool uses; any runtime's `AbortSignal` fits. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Per-call options every method takes. */
export interface CallOptions {
  /**
   * Milliseconds the whole call may take. When it runs out, queued work is dropped, workers
   * running it are stopped and replaced, and the call rejects `TimeoutError`. Unlike
   * `AsyncResult.get(ms)`, this cancels the work.
   * @default none: no time limit
   */
  timeout?: number | undefined;
  /**
   * Cancels the call as `timeout` does, rejecting `AbortError` with the signal's `reason` as `cause`.
   * @default none
   */
  signal?: AbortSignalLike | undefined;
  /**
   * Times a task unit is run again on another worker when its worker dies under it
   * (`WorkerExitError`). For idempotent work only.
   * @default 0
   */
  retries?: number | undefined;
  /**
   * ArrayBuffers (and ports) to move to the worker instead of copying, where the adapter can.
   * Meant for `apply` / `applyAsync`: a buffer can be moved only once.
   * @default none: everything is copied
   */
  transfer?: readonly unknown[] | undefined;
}

/** Options of `applyAsync`. */
export interface ApplyOptions<R> extends CallOptions, ResultCallbacks<R> {}

/** Options of `map` and `starmap`. */
export interface MapOptions extends CallOptions {
  /**
   * Items per message.
   * @default Python's `ceil(length / (4 × processes))`
   */
  chunksize?: number | undefined;
}

/** Options of `mapAsync` and `starmapAsync`. */
export interface MapAsyncOptions<R> extends MapOptions, ResultCallbacks<R[]> {}

/** Options of `imap` and `imapUnordered`. */
export interface ImapOptions extends CallOptions {
  /**
   * Items per message.
   * @default 1
   */
  chunksize?: number | undefined;
}

/** The pool's lifecycle: RUN → CLOSE → (workers leave), or → TERMINATE, or → BROKEN. */
export type PoolState = 'RUN' | 'CLOSE' | 'TERMINATE' | 'BROKEN';

/** A snapshot of the pool, from `pool.stats()`. */
export interface PoolStats {
  /** The pool's state. */
  state: PoolState;
  /** Live workers (starting, idle or busy). */
  workers: number;
  /** Workers still loading the module and running the initializer. */
  starting: number;
  /** Workers running a task. */
  busy: number;
  /** Task units waiting for a worker (a map chunk counts as one). */
  queued: number;
  /** Task units that succeeded. */
  completed: number;
  /** Task units that failed (the task threw, its worker died, its result could not be sent). */
  failed: number;
  /** Calls not yet settled: the size of the job cache. */
  pending: number;
}
