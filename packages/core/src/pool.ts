/**
 * The pool: Python's `multiprocessing.Pool` on any adapter. One explicit state, the cache of
 * unsettled calls, and the calls themselves; the workers and their queue live in `workers.ts`.
 * @module
 */
import type { Adapter } from './adapter.js';
import type { Executor, PoolInit, QueueAdapter } from './executor.js';
import { chunk, defaultChunksize } from './chunking.js';
import { AbortError, BrokenPoolError, PoolStateError, TerminatedError, TimeoutError } from './errors.js';
import { ImapIterator, type ChunkSink } from './imap.js';
import { TaskUnit, type Call, type Job, type JobHost } from './job.js';
import { moduleUrl } from './module-url.js';
import { protocolVersion, TaskKind, type TaskRef } from './protocol.js';
import { ApplyResult, AsyncResult, MapResult, promiseOf, type ResultCallbacks } from './results.js';
import type {
  AbortSignalLike, AnyFunction, AnyTasks, ApplyOptions, ApplyRest, ArgsOf, ImapOptions, ItemOf, Items, MapAsyncOptions, MapOptions,
  PoolOptions, PoolState, PoolStats, ResultOf, TaskModule, TaskParam,
} from './types.js';
import {
  abortSignal, argumentList, checkKeys, iteratorOf, materialize, nonNegativeInteger, optionalFunction, optionsObject,
  positiveInteger, taskRef, timeoutMs, transferList,
} from './validate.js';
import { Workers } from './workers.js';

const poolKeys = ['adapter', 'module', 'processes', 'initializer', 'initargs', 'maxTasksPerChild'] as const;
const callKeys = ['transfer', 'timeout', 'signal', 'retries'];
const applyKeys = [...callKeys, 'callback', 'errorCallback'];
const mapKeys = [...callKeys, 'chunksize'];
const mapAsyncKeys = [...mapKeys, 'callback', 'errorCallback'];

/** Python's lifecycle: close() drains, terminate() stops; a broken pool can only be terminated. */
const transitions: Record<PoolState, readonly PoolState[]> = {
  RUN: ['CLOSE', 'TERMINATE', 'BROKEN'],
  CLOSE: ['TERMINATE', 'BROKEN'],
  BROKEN: ['TERMINATE'],
  TERMINATE: [],
};

/** A call's cancellation limits, from its `timeout` and `signal` options. */
type Limits = { timeout: number | undefined; signal: AbortSignalLike | undefined };

/**
 * A pool of workers running the exports of one task module, with Python's `Pool` API.
 *
 * @typeParam M - the task module's type, `typeof import('./tasks.js')`, to check task names,
 * arguments and results at compile time. Omit it for an untyped pool.
 */
export class Pool<M extends TaskModule = AnyTasks> {
  readonly #processes: number;
  readonly #adapter: Adapter | QueueAdapter;
  readonly #executor: Executor;
  #state: PoolState = 'RUN';
  #brokenBy: BrokenPoolError | undefined;
  /** Unsettled calls: Python's `_cache`. A call leaves it as it settles. */
  readonly #cache = new Set<Job>();
  /** Options-free Calls by task, per TaskKind. */
  readonly #plainCalls = [new Map<unknown, Call>(), new Map<unknown, Call>(), new Map<unknown, Call>()];
  #joining = false;
  #terminated: Promise<void> | undefined;
  /** Calls with a `timeout` or `signal`: how to disarm them once they settle. */
  readonly #disarms = new Map<Job, () => void>();
  /** What jobs call when they settle: they leave the cache. */
  readonly #host: JobHost = {
    release: (job) => {
      if (!this.#cache.delete(job)) return;
      const disarm = this.#disarms.size > 0 ? this.#disarms.get(job) : undefined;
      if (disarm) {
        this.#disarms.delete(job);
        disarm();
      }
      if (this.#cache.size > 0) return;
      this.#updateRef();
      if (this.#state === 'CLOSE') queueMicrotask(() => this.#executor.close());
    },
  };

  /**
   * Starts `processes` workers, each loading `module` and running `initializer`.
   * @throws TypeError / RangeError for bad options.
   */
  constructor(options: PoolOptions) {
    const opts = optionsObject('Pool', options);
    checkKeys('Pool', opts, poolKeys);
    const adapter = poolAdapter(opts['adapter']);
    this.#adapter = adapter;
    this.#processes = positiveInteger('processes', opts['processes']) ?? Math.max(1, adapter.defaultProcesses());
    const maxTasksPerChild = opts['maxTasksPerChild'] === null ? undefined : positiveInteger('maxTasksPerChild', opts['maxTasksPerChild']);
    const initargs = opts['initargs'] === undefined ? [] : argumentList('initargs', opts['initargs']);
    const initializer = opts['initializer'] === undefined || opts['initializer'] === null ? null : this.#taskRef(opts['initializer'], 'initializer');
    const module = opts['module'] === undefined ? null : moduleUrl(opts['module'], adapter);
    const init: PoolInit = { protocol: protocolVersion, module, initializer, initargs, processes: this.#processes, maxTasksPerChild };
    // A failure reported while the executor opens is handled once the pool has it.
    const host = {
      broken: (cause: unknown, message?: string) => (this.#executor ? this.#break(cause, message) : queueMicrotask(() => this.#break(cause, message))),
    };
    try {
      this.#executor = 'open' in adapter ? adapter.open(init, host) : new Workers(adapter, init, host);
    } catch (error) {
      this.#transition('TERMINATE');
      throw error;
    }
    this.#updateRef();
  }

  /** `'RUN'`, `'CLOSE'`, `'TERMINATE'` or `'BROKEN'`. */
  get state(): PoolState {
    return this.#state;
  }

  /** The number of workers the pool keeps. */
  get processes(): number {
    return this.#processes;
  }

  /** A snapshot of workers, queue and counters. */
  stats(): PoolStats {
    return {
      state: this.#state,
      ...this.#executor.counts(),
      pending: this.#cache.size,
    };
  }

  // ---- submitting work -------------------------------------------------------------------

  /** Runs `task(...args)` in a worker and resolves to its result. */
  apply<T extends string | AnyFunction>(task: TaskParam<M, T>, ...rest: ApplyRest<M, T, ApplyOptions<ResultOf<M, T>>>): Promise<ResultOf<M, T>>;
  apply(task: unknown, args?: unknown, options?: unknown): Promise<unknown> {
    return this.#promise(() => (this.applyAsync as (...a: unknown[]) => AsyncResult<unknown>)(task, args, options));
  }

  /** Submits `task(...args)` and returns its `AsyncResult` at once. Throws for bad arguments. */
  applyAsync<T extends string | AnyFunction>(task: TaskParam<M, T>, ...rest: ApplyRest<M, T, ApplyOptions<ResultOf<M, T>>>): AsyncResult<ResultOf<M, T>>;
  // biome-ignore lint/suspicious/noExplicitAny: the implementation signature must accept every task's result.
  applyAsync(task: unknown, args?: unknown, options?: unknown): AsyncResult<any> {
    const list = argumentList('args', args);
    const { call, callbacks, limits } = this.#prepare('applyAsync', TaskKind.Call, task, options, applyKeys);
    const result = new ApplyResult<unknown>(this.#host, callbacks);
    this.#track(result, limits);
    this.#executor.enqueue(new TaskUnit(result, 0, call, list));
    return result;
  }

  /** Applies `task` to every item, in chunks, and resolves to the results in input order. */
  map<T extends string | AnyFunction>(task: TaskParam<M, T>, iterable: Items<ItemOf<M, T>>, options?: MapOptions): Promise<ResultOf<M, T>[]>;
  map(task: unknown, iterable: unknown, options?: unknown): Promise<unknown[]> {
    return this.#promise(() => this.#mapAsync(TaskKind.Map, 'map', task, iterable, options));
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
    return this.#promise(() => this.#mapAsync(TaskKind.Starmap, 'starmap', task, iterable, options));
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
    if (this.#transition('CLOSE') && this.#cache.size === 0) this.#executor.close();
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
    const { call, callbacks, limits, chunksize: given } = this.#prepare(method, kind, task, options, method.endsWith('Async') ? mapAsyncKeys : mapKeys);
    const items = materialize(iterable);
    const chunksize = given ?? Math.max(1, defaultChunksize(items.length, this.#processes));
    const result = new MapResult<unknown>(this.#host, items.length, chunksize, callbacks);
    if (items.length === 0) {
      result.accept(0, true, []);
      return result;
    }
    this.#track(result, limits);
    chunk(items, chunksize).forEach((part, index) => this.#executor.enqueue(new TaskUnit(result, index, call, part)));
    return result;
  }

  #imap(ordered: boolean, method: string, task: unknown, iterable: unknown, options: unknown): ImapIterator<unknown> {
    const { call, limits, chunksize } = this.#prepare(method, TaskKind.Map, task, options, mapKeys);
    const source = iteratorOf(iterable);
    const sink: ChunkSink = {
      submit: (job, index, items) => this.#executor.enqueue(new TaskUnit(job, index, call, items)),
      withdraw: (job) => this.#executor.withdraw(job),
    };
    const iterator = new ImapIterator<unknown>(this.#host, sink, source, chunksize ?? 1, ordered, 4 * this.#processes);
    this.#track(iterator, limits);
    iterator.start();
    return iterator;
  }

  /** Checks a call's task and options, and that the pool takes work. Throws for anything wrong. */
  #prepare(method: string, kind: TaskKind, task: unknown, options: unknown, keys: readonly string[]): {
    call: Call; callbacks: ResultCallbacks<unknown> | undefined; limits: Limits | undefined; chunksize: number | undefined;
  } {
    if (options === undefined) {
      // The common case, on the hot path: no options to check, and one shared Call per task.
      const call = this.#plainCall(kind, task);
      this.#checkRunning();
      return { call, callbacks: undefined, limits: undefined, chunksize: undefined };
    }
    const ref = this.#taskRef(task);
    const opts = optionsObject(method, options);
    checkKeys(method, opts, keys);
    const callbacks = resultCallbacks(opts);
    const transfer = transferList(opts['transfer']);
    const chunksize = positiveInteger('chunksize', opts['chunksize']);
    const retries = nonNegativeInteger('retries', opts['retries']) ?? 0;
    const timeout = timeoutMs(opts['timeout']);
    const signal = abortSignal(opts['signal']);
    this.#checkRunning();
    const limits = timeout === undefined && signal === undefined ? undefined : { timeout, signal };
    return { call: { kind, task: ref, transfer, retries }, callbacks, limits, chunksize };
  }

  /** The Promise form of a call: its result's own (handled) promise, or a rejection for bad input. */
  #promise<T>(submit: () => AsyncResult<T>): Promise<T> {
    try {
      return submit()[promiseOf];
    } catch (error) {
      return rejected(error);
    }
  }

  /** The options-free Call for a task, made once per task and kind. */
  #plainCall(kind: TaskKind, task: unknown): Call {
    const cache = this.#plainCalls[kind]!;
    let call = cache.get(task);
    if (!call) {
      call = { kind, task: this.#taskRef(task), transfer: undefined, retries: 0 };
      if (cache.size >= 256) cache.clear();
      cache.set(task, call);
    }
    return call;
  }

  /** A task reference, refused where the adapter cannot run function tasks. */
  #taskRef(task: unknown, name = 'task'): TaskRef {
    const ref = taskRef(task, name);
    if (typeof ref !== 'string' && !this.#adapter.supports.functionTasks) {
      throw new TypeError(`The ${this.#adapter.name} adapter cannot run function tasks: '${name}' must name an export of the module`);
    }
    return ref;
  }

  #checkRunning(): void {
    if (this.#state === 'RUN') return;
    if (this.#state === 'BROKEN') throw this.#brokenBy!;
    throw new PoolStateError('Pool not running');
  }

  #track(job: Job, limits?: Limits): void {
    this.#cache.add(job);
    if (this.#cache.size === 1) this.#updateRef();
    if (limits) this.#limit(job, limits);
  }

  /** Arms a call's `timeout` and `signal`; both are disarmed when the call settles. */
  #limit(job: Job, { timeout, signal }: Limits): void {
    const disarm: Array<() => void> = [];
    this.#disarms.set(job, () => disarm.forEach((f) => f()));
    if (signal) {
      const onAbort = (): void => this.#cancel(job, new AbortError('The call was aborted', { cause: signal.reason }));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      disarm.push(() => signal.removeEventListener('abort', onAbort));
    }
    if (timeout !== undefined) {
      const timer = setTimeout(() => this.#cancel(job, new TimeoutError(`The call timed out after ${timeout} ms`)), timeout);
      disarm.push(() => clearTimeout(timer));
    }
  }

  /** Stops a call's work and rejects it. */
  #cancel(job: Job, error: Error): void {
    if (!this.#cache.has(job)) return;
    this.#executor.cancel(job);
    job.abort(error);
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
    this.#failAll(this.#brokenBy);
    void this.#stopWorkers();
  }

  #failAll(error: Error): void {
    this.#executor.clear();
    for (const job of [...this.#cache]) job.abort(error);
    this.#cache.clear();
  }

  async #stopWorkers(): Promise<void> {
    this.#joining = true;
    this.#updateRef();
    await this.#executor.stop();
  }

  /** Workers hold the host open only while there is work, or someone waits for them. */
  #updateRef(): void {
    this.#executor.reference(this.#cache.size > 0 || this.#joining);
  }
}

/** The `adapter` option: a channel adapter (`spawn`) or a queue adapter (`open`), with its manifest. */
function poolAdapter(value: unknown): Adapter | QueueAdapter {
  const adapter = value as Partial<Adapter & QueueAdapter> | null | undefined;
  if (!adapter || typeof adapter !== 'object' || (typeof adapter.spawn !== 'function' && typeof adapter.open !== 'function')) {
    throw new TypeError("Expected 'adapter' to be a pool adapter such as nodeWorkers() or inline()");
  }
  if (!adapter.supports || typeof adapter.supports !== 'object') {
    throw new TypeError(`Expected adapter '${String(adapter.name)}' to declare what it supports ('supports'): is it built for another version of @pool/core?`);
  }
  return adapter as Adapter | QueueAdapter;
}

function resultCallbacks(opts: Record<string, unknown>): { callback?: AnyFunction; errorCallback?: AnyFunction } {
  const callback = optionalFunction<AnyFunction>('callback', opts['callback']);
  const errorCallback = optionalFunction<AnyFunction>('errorCallback', opts['errorCallback']);
  return { ...(callback && { callback }), ...(errorCallback && { errorCallback }) };
}

function rejected<T>(error: unknown): Promise<T> {
  const promise = Promise.reject(error);
  promise.catch(() => {});
  return promise as Promise<T>;
}
