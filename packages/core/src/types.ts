/**
 * The pool's public option types, and the type machinery that checks task names, arguments and
 * results against the task module: `new Pool<typeof import('./tasks.js')>(…)`.
 * @module
 */
import type { Adapter } from './adapter.js';
import type { QueueAdapter } from './executor.js';
import type { ResultCallbacks } from './results.js';

// biome-ignore lint/suspicious/noExplicitAny: `any` is what lets any function's parameters be inferred.
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
  /**
   * Where workers run: `nodeWorkers()`, `nodeProcesses()`, `denoWorkers()`, `bunWorkers()`,
   * `webWorkers()`, `inline()` (channel adapters), or `bullmq()` (a queue adapter).
   */
  adapter: Adapter | QueueAdapter;
  /** The task module: a URL, a URL string, or a file path (absolute or relative to the cwd). */
  module?: string | URL | undefined;
  /** Number of workers, an integer ≥ 1. Default: the runtime's available parallelism. */
  processes?: number | undefined;
  /** Export name (or self-contained function) run once in each worker before its first task. */
  initializer?: string | AnyFunction | undefined;
  /** Arguments of `initializer`. */
  initargs?: readonly unknown[] | undefined;
  /** Retire and replace a worker after this many tasks (a chunk counts as one). */
  maxTasksPerChild?: number | undefined;
  /**
   * Dynamic size: keep at least this many workers (an integer ≥ 0, default 0), start more on
   * demand up to `maxProcesses`, retire those idle for `idleTimeout`. Giving it or `maxProcesses`
   * makes the size dynamic; `processes` alone is a fixed size, as in Python.
   */
  minProcesses?: number | undefined;
  /** Dynamic size: at most this many workers (an integer ≥ 1). Default: `processes`, else available parallelism. */
  maxProcesses?: number | undefined;
  /** Dynamic size: ms a worker above `minProcesses` may stay idle before it is retired. Default 10,000. */
  idleTimeout?: number | undefined;
  /**
   * At most this many task units queued (not yet handed to a worker): `applyAsync`, `mapAsync`
   * and friends throw `QueueFullError` (`apply` and `map` reject it) while it is full; await
   * `pool.ready()` for room. A map is admitted whole while there is room; `imap` bounds itself.
   */
  maxQueue?: number | undefined;
  /**
   * Retire a worker whose memory after a task is over this many MB (a thread's heap, a process's
   * RSS); its replacement starts first. Adapters with `supports.memoryLimit` only.
   */
  maxMemoryPerChild?: number | undefined;
  /** Retire a worker this many ms after it started, once it has finished what it holds; its replacement starts first. */
  maxLifetime?: number | undefined;
  /**
   * Ms a cancelled call's running task has to stop on its own (its `signal()` from
   * `@pool/core/worker` aborts) before its worker is stopped. Default 0: stopped at once.
   */
  cancelGrace?: number | undefined;
  /** Record every task unit's wait and run time, for `pool.metrics()`. Default `false`. */
  metrics?: boolean | undefined;
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
   */
  timeout?: number | undefined;
  /** Cancels the call as `timeout` does, rejecting `AbortError` with the signal's `reason` as `cause`. */
  signal?: AbortSignalLike | undefined;
  /**
   * Times a task unit is run again on another worker when its worker dies under it
   * (`WorkerExitError`). Default 0. For idempotent work only.
   */
  retries?: number | undefined;
  /**
   * ArrayBuffers (and ports) to move to the worker instead of copying, where the adapter can.
   * Meant for `apply` / `applyAsync`: a buffer can be moved only once.
   */
  transfer?: readonly unknown[] | undefined;
  /** Called with every value the call's tasks send with `progress(value)` from `@pool/core/worker`, in order per task. */
  onProgress?: ((value: unknown) => void) | undefined;
}

/** Options of `applyAsync`. */
export interface ApplyOptions<R> extends CallOptions, ResultCallbacks<R> {}

/** Options of `map` and `starmap`. */
export interface MapOptions extends CallOptions {
  /** Items per message. Default: Python's `ceil(length / (4 × processes))`. */
  chunksize?: number | undefined;
}

/** Options of `mapAsync` and `starmapAsync`. */
export interface MapAsyncOptions<R> extends MapOptions, ResultCallbacks<R[]> {}

/** Options of `imap` and `imapUnordered`. */
export interface ImapOptions extends CallOptions {
  /** Items per message. Default 1. */
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
  /** The fewest workers the pool keeps: `processes` for a fixed size. */
  minProcesses: number;
  /** The most workers the pool starts: `processes` for a fixed size. */
  maxProcesses: number;
}
