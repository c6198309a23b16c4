/**
 * The pool's public option types, and the type machinery that checks task names, arguments and
 * results against the task module: `new Pool<typeof import('./tasks.js')>(…)`.
 * @module
 */
import type { Adapter } from './adapter.js';
import type { ExecutorCounts, QueueAdapter } from './executor.js';
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

/** What a call names as its task: an export of `M` that is a function, or a self-contained function. */
export type Task<M> = TaskName<M> | AnyFunction;

/**
 * The type of a method's `task` parameter for the task `T` it was given: `T` itself when it is a
 * task of `M`, else the union of `M`'s task names. A misspelt name then fails with one short
 * line that lists the real ones: `'"sqare"' is not assignable to '"square" | "add"'`.
 */
export type TaskParam<M, T> = T extends Task<M> ? T : TaskName<M> & {};

/** The argument tuple of a task given by name or as a function. */
export type ArgsOf<M, T> = [T] extends [AnyFunction] ? Parameters<T> : TaskArgs<M, T>;

/** What a task given by name or as a function resolves to. */
export type ResultOf<M, T> = [T] extends [AnyFunction] ? Awaited<ReturnType<T>> : TaskResult<M, T>;

/**
 * The parameters after the task in `apply` / `applyAsync`: `args` may be left out only when the
 * task takes no required argument, so `pool.apply('add')` does not compile for `add(a, b)`.
 * (For a name that is no task, only the name is reported.)
 */
export type ApplyRest<M, T, O> = [T] extends [Task<M>]
  ? [ArgsOf<M, T>] extends [never] ? [args?: readonly unknown[], options?: O]
  : [] extends ArgsOf<M, T> ? [args?: Readonly<ArgsOf<M, T>>, options?: O] : [args: Readonly<ArgsOf<M, T>>, options?: O]
  : [args?: readonly unknown[], options?: O];

/**
 * The item type of `map` / `imap` for a task: its first parameter. A task that needs more than
 * one argument takes no item (each item is one argument): the error names `starmap`.
 */
export type ItemOf<M, T> = [ArgsOf<M, T>] extends [never] ? never
  : ArgsOf<M, T> extends readonly [unknown, unknown, ...unknown[]] ? NeedsStarmap : ArgsOf<M, T>[0];

/** What `map` takes for a task of several arguments: no item, and a type error that says why. */
export type NeedsStarmap = 'map and imap pass each item as the one argument: use starmap for a task with more';

/**
 * The items of `map` / `starmap`. An array is named first so that a wrong item is reported as
 * one line (`Type 'string' is not assignable to type 'number'`) at that item, not as a dump of
 * `Iterable` internals.
 */
export type Items<I> = readonly I[] | Iterable<I>;

/** Options of `new Pool()`. */
export interface PoolOptions {
  /**
   * Where workers run: `nodeWorkers()`, `nodeProcesses()`, `denoWorkers()`, `bunWorkers()`,
   * `webWorkers()`, `inline()` (channel adapters), or `bullmq()` (a queue adapter).
   */
  adapter: Adapter | QueueAdapter;
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
  /**
   * Ms a worker has to become ready (its task module loaded, its `initializer` done). One that
   * takes longer breaks the pool: `BrokenPoolError`, whose cause is a `TimeoutError`, so that a
   * module whose top-level `await` never settles fails every call instead of leaving them pending.
   * Adapters that start workers of their own only (a queue adapter's hosts load the module).
   * @default none: a worker may take as long as it needs, as in Python
   */
  startTimeout?: number | undefined;
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
  /** Called with every value the call's tasks send with `progress(value)` from `@pool/core/worker`, in order per task. */
  onProgress?: ((value: unknown) => void) | undefined;
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

/**
 * A snapshot of the pool, from `pool.stats()`: its executor's figures (workers, starting, busy,
 * queued, completed, failed; units, so a map chunk counts as one), its state and its pending calls.
 */
export interface PoolStats extends ExecutorCounts {
  /** The pool's state. */
  state: PoolState;
  /** Calls not yet settled: the size of the job cache. */
  pending: number;
  /** The fewest workers the pool keeps: `processes` for a fixed size. */
  minProcesses: number;
  /** The most workers the pool starts: `processes` for a fixed size. */
  maxProcesses: number;
}
