/**
 * The pool: Python's `multiprocessing.Pool` on any adapter. Its API, its one explicit state and
 * its lifecycle. Calls are checked in `calls.ts`, become jobs and units in `submit.ts`, wait in
 * the cache of unsettled calls (`cache.ts`), and run on an executor (`workers.ts` for channels).
 * @module
 */
import { Admission } from './backpressure.js';
import { Calls, optionKeys, poolAdapter, promiseFor, rejected, type Prepared } from './calls.js';
import type { Executor } from './executor.js';
import { BrokenPoolError, PoolStateError, TerminatedError } from './errors.js';
import type { PoolEventListener, PoolEventType } from './events.js';
import { JobCache } from './cache.js';
import type { PoolMetrics } from './metrics.js';
import { microtask } from './microtask.js';
import { Observer } from './observer.js';
import { poolInit } from './options.js';
import { TaskKind } from './protocol.js';
import { type AsyncResult, promiseOf } from './results.js';
import { Submission } from './submit.js';
import type {
  AnyFunction, AnyTasks, ApplyOptions, ApplyRest, ArgsOf, ImapOptions, ItemOf, Items, MapAsyncOptions, MapOptions,
  PoolOptions, PoolState, PoolStats, ResultOf, TaskModule, TaskParam,
} from './types.js';
import { argumentList, argumentLists, iteratorOf, materialize } from './validate.js';
import { Workers } from './workers.js';

/** Python's lifecycle: close() drains, terminate() stops; a broken pool can only be terminated. */
const transitions: Record<PoolState, readonly PoolState[]> = {
  RUN: ['CLOSE', 'TERMINATE', 'BROKEN'],
  CLOSE: ['TERMINATE', 'BROKEN'],
  BROKEN: ['TERMINATE'],
  TERMINATE: [],
};

/**
 * A pool of workers running the exports of one task module, with Python's `Pool` API.
 *
 * @typeParam M - the task module's type, `typeof import('./tasks.js')`, to check task names,
 * arguments and results at compile time. Omit it for an untyped pool.
 */
export class Pool<M extends TaskModule = AnyTasks> {
  readonly #processes: number;
  readonly #minProcesses: number;
  readonly #calls: Calls;
  readonly #executor: Executor;
  /** `maxQueue`'s bound, where one is given. */
  readonly #admission: Admission | undefined;
  readonly #submit: Submission;
  readonly #observer = new Observer();
  #state: PoolState = 'RUN';
  #brokenBy: BrokenPoolError | undefined;
  /** Unsettled calls (`cache.ts`). */
  readonly #cache = new JobCache({
    added: (job) => this.#observer.queued(job),
    released: (job, last) => {
      this.#observer.released(job);
      if (this.#admission?.wanted) this.#admission.room();
      if (last && this.#state === 'CLOSE') microtask(() => this.#executor.close());
    },
    busy: () => this.#updateRef(),
    cancelled: (job, error) => {
      this.#executor.cancel(job);
      job.abort(error);
    },
  });
  #joining = false;
  #terminated: Promise<void> | undefined;

  /**
   * Starts `processes` workers, each loading `module` and running `initializer`.
   * @throws TypeError / RangeError for bad options.
   */
  constructor(options: PoolOptions) {
    const adapter = poolAdapter((options as { adapter?: unknown } | null | undefined)?.adapter);
    this.#calls = new Calls(adapter);
    const { init, maxQueue } = poolInit(options, adapter, (task) => this.#calls.taskRef(task, 'initializer'));
    this.#processes = init.processes;
    this.#minProcesses = init.sizing?.min ?? init.processes;
    if (maxQueue !== undefined) this.#admission = new Admission(maxQueue, () => this.#executor.queued?.() ?? this.#executor.counts().queued);
    // A failure reported while the executor opens is handled once the pool has it.
    const broken = (cause: unknown, message?: string): void => (this.#executor ? this.#break(cause, message) : microtask(() => this.#break(cause, message)));
    const host = this.#observer.host(broken, this.#admission);
    try {
      this.#executor = 'open' in adapter ? adapter.open(init, host) : new Workers(adapter, init, host);
    } catch (error) {
      this.#transition('TERMINATE');
      throw error;
    }
    this.#submit = new Submission(this.#executor, this.#cache, this.#admission, this.#processes, adapter.supports);
    this.#updateRef();
  }

  /** `'RUN'`, `'CLOSE'`, `'TERMINATE'` or `'BROKEN'`. */
  get state(): PoolState {
    return this.#state;
  }

  /** The number of workers the pool keeps: its maximum, if it is sized dynamically. */
  get processes(): number {
    return this.#processes;
  }

  /** A snapshot of workers, queue and counters, and the size bounds. */
  stats(): PoolStats {
    return {
      state: this.#state,
      ...this.#executor.counts(),
      pending: this.#cache.size,
      minProcesses: this.#minProcesses,
      maxProcesses: this.#processes,
    };
  }

  /**
   * Wait and run times (with `metrics: true`), each worker's utilisation, and why the last
   * workers left. Queue adapters report what they can.
   */
  metrics(): PoolMetrics {
    return this.#executor.metrics?.() ?? { units: null, workers: [], exits: [] };
  }

  /**
   * Resolves once the queue has room for another call (`maxQueue`); at once without a bound.
   * Rejects as submitting would if the pool stops taking work.
   */
  ready(): Promise<void> {
    try {
      this.#checkRunning();
    } catch (error) {
      return rejected(error);
    }
    return this.#admission?.ready() ?? Promise.resolve();
  }

  /** Listens for a lifecycle event: `workerstart`, `workerready`, `workerexit`, `callqueue`, `callstart`, `callsettle`. */
  addEventListener<K extends PoolEventType>(type: K, listener: PoolEventListener<K>, options?: { once?: boolean }): void {
    this.#observer.events.add(type, listener, options);
  }

  removeEventListener<K extends PoolEventType>(type: K, listener: PoolEventListener<K>): void {
    this.#observer.events.remove(type, listener);
  }

  // ---- submitting work -------------------------------------------------------------------

  /** Runs `task(...args)` in a worker and resolves to its result. */
  apply<T extends string | AnyFunction>(task: TaskParam<M, T>, ...rest: ApplyRest<M, T, ApplyOptions<ResultOf<M, T>>>): Promise<ResultOf<M, T>>;
  apply(task: unknown, args?: unknown, options?: unknown): Promise<unknown> {
    // As promiseFor() does, without a closure per call: apply is the hot path.
    try {
      return (this.applyAsync as (...a: unknown[]) => AsyncResult<unknown>)(task, args, options)[promiseOf];
    } catch (error) {
      return rejected(error);
    }
  }

  /** Submits `task(...args)` and returns its `AsyncResult` at once. Throws for bad arguments. */
  applyAsync<T extends string | AnyFunction>(task: TaskParam<M, T>, ...rest: ApplyRest<M, T, ApplyOptions<ResultOf<M, T>>>): AsyncResult<ResultOf<M, T>>;
  // biome-ignore lint/suspicious/noExplicitAny: the implementation signature must accept every task's result.
  applyAsync(task: unknown, args?: unknown, options?: unknown): AsyncResult<any> {
    const list = argumentList('args', args);
    // Named 'apply' in messages: apply() comes here too, and takes the same options.
    return this.#submit.apply(this.#prepare('apply', TaskKind.Call, task, options, optionKeys.apply), list);
  }

  /** Applies `task` to every item, in chunks, and resolves to the results in input order. */
  map<T extends string | AnyFunction>(task: TaskParam<M, T>, iterable: Items<ItemOf<M, T>>, options?: MapOptions): Promise<ResultOf<M, T>[]>;
  map(task: unknown, iterable: unknown, options?: unknown): Promise<unknown[]> {
    return promiseFor(() => this.#mapAsync(TaskKind.Map, 'map', task, iterable, options));
  }

  /** As `map`, returning an `AsyncResult` at once. Throws for bad arguments. */
  mapAsync<T extends string | AnyFunction>(task: TaskParam<M, T>, iterable: Items<ItemOf<M, T>>, options?: MapAsyncOptions<ResultOf<M, T>>): AsyncResult<ResultOf<M, T>[]>;
  // biome-ignore lint/suspicious/noExplicitAny: the implementation signature must accept every task's result.
  mapAsync(task: unknown, iterable: unknown, options?: unknown): AsyncResult<any> {
    return this.#mapAsync(TaskKind.Map, 'mapAsync', task, iterable, options);
  }

  /** As `map`, but each item is an argument list: `task(...item)`. */
  starmap<T extends string | AnyFunction>(task: TaskParam<M, T>, iterable: Items<ArgsOf<M, T>>, options?: MapOptions): Promise<ResultOf<M, T>[]>;
  starmap(task: unknown, iterable: unknown, options?: unknown): Promise<unknown[]> {
    return promiseFor(() => this.#mapAsync(TaskKind.Starmap, 'starmap', task, iterable, options));
  }

  /** As `starmap`, returning an `AsyncResult` at once. Throws for bad arguments. */
  starmapAsync<T extends string | AnyFunction>(task: TaskParam<M, T>, iterable: Items<ArgsOf<M, T>>, options?: MapAsyncOptions<ResultOf<M, T>>): AsyncResult<ResultOf<M, T>[]>;
  // biome-ignore lint/suspicious/noExplicitAny: the implementation signature must accept every task's result.
  starmapAsync(task: unknown, iterable: unknown, options?: unknown): AsyncResult<any> {
    return this.#mapAsync(TaskKind.Starmap, 'starmapAsync', task, iterable, options);
  }

  /**
   * Lazily maps `task` over a sync or async iterable, yielding results in input order. Reads a
   * bounded number of chunks ahead; leaving the loop stops reading. Throws for bad arguments.
   */
  imap<T extends string | AnyFunction>(task: TaskParam<M, T>, iterable: Items<ItemOf<M, T>> | AsyncIterable<ItemOf<M, T>>, options?: ImapOptions): AsyncIterableIterator<ResultOf<M, T>>;
  imap(task: unknown, iterable: unknown, options?: unknown): AsyncIterableIterator<unknown> {
    return this.#imap(true, 'imap', task, iterable, options);
  }

  /** As `imap`, but yields results as they finish. */
  imapUnordered<T extends string | AnyFunction>(task: TaskParam<M, T>, iterable: Items<ItemOf<M, T>> | AsyncIterable<ItemOf<M, T>>, options?: ImapOptions): AsyncIterableIterator<ResultOf<M, T>>;
  imapUnordered(task: unknown, iterable: unknown, options?: unknown): AsyncIterableIterator<unknown> {
    return this.#imap(false, 'imapUnordered', task, iterable, options);
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** No new work; workers leave once the queue is drained. A no-op unless running. */
  close(): void {
    if (!this.#transition('CLOSE')) return;
    this.#admission?.fail(new PoolStateError('Pool not running'));
    if (this.#cache.size === 0) this.#executor.close();
  }

  /** Resolves once every worker has exited. Rejects `PoolStateError` if the pool is still running. */
  join(): Promise<void> {
    if (this.#state === 'RUN') return rejected(new PoolStateError('Pool is still running: call close() or terminate() first'));
    this.#joining = true;
    this.#updateRef();
    return this.#executor.exited();
  }

  /** Stops every worker now; every unfinished result rejects `TerminatedError`. */
  terminate(): Promise<void> {
    if (this.#terminated) return this.#terminated;
    this.#transition('TERMINATE');
    this.#admission?.fail(new TerminatedError());
    this.#failAll(new TerminatedError());
    this.#terminated = this.#stopWorkers();
    return this.#terminated;
  }

  /** `await using pool = new Pool(…)` terminates the pool at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }

  // ---- internals -------------------------------------------------------------------------

  #mapAsync(kind: TaskKind, method: string, task: unknown, iterable: unknown, options: unknown): AsyncResult<unknown[]> {
    const prepared = this.#prepare(method, kind, task, options, method.endsWith('Async') ? optionKeys.mapAsync : optionKeys.map);
    const items = materialize(iterable);
    return this.#submit.map(prepared, kind === TaskKind.Starmap ? argumentLists(items) : items);
  }

  #imap(ordered: boolean, method: string, task: unknown, iterable: unknown, options: unknown): AsyncIterableIterator<unknown> {
    const prepared = this.#prepare(method, TaskKind.Map, task, options, optionKeys.map);
    return this.#submit.imap(prepared, iteratorOf(iterable), ordered);
  }

  /** Checks a call's task and options, and that the pool takes work. Throws for anything wrong. */
  #prepare(method: string, kind: TaskKind, task: unknown, options: unknown, keys: readonly string[]): Prepared {
    const prepared = this.#calls.prepare(method, kind, task, options, keys);
    this.#checkRunning();
    return prepared;
  }

  #checkRunning(): void {
    if (this.#state === 'RUN') return;
    if (this.#state === 'BROKEN') throw this.#brokenBy!;
    throw new PoolStateError('Pool not running');
  }

  /** The one place the state changes. A move the machine does not allow is refused (`false`). */
  #transition(to: PoolState): boolean {
    if (!transitions[this.#state].includes(to)) return false;
    this.#state = to;
    return true;
  }

  #break(cause: unknown, message?: string): void {
    if (!this.#transition('BROKEN')) return;
    const why = message ?? (cause instanceof Error ? cause.message : 'a worker failed to start');
    this.#brokenBy = new BrokenPoolError(`Pool is broken: ${why}`, { cause });
    this.#admission?.fail(this.#brokenBy);
    this.#failAll(this.#brokenBy);
    void this.#stopWorkers();
  }

  #failAll(error: Error): void {
    this.#executor.clear();
    this.#cache.abortAll(error);
  }

  async #stopWorkers(): Promise<void> {
    this.#joining = true;
    this.#updateRef();
    await this.#executor.stop();
  }

  /** Workers hold the host open only while there is work, or someone waits for them. */
  #updateRef(): void {
    this.#executor.reference(this.#cache.busy || this.#joining);
  }
}
