/**
 * The pool: Python's `multiprocessing.Pool` on any adapter. One explicit state, one queue of
 * task units, one cache of unsettled calls, and the supervision of workers.
 * @module
 */
import type { Adapter, WorkerExit, WorkerHandle } from './adapter.js';
import { chunk, defaultChunksize } from './chunking.js';
import {
  AbortError, BrokenPoolError, DataCloneError, PoolStateError, TerminatedError, TimeoutError, WorkerExitError,
} from './errors.js';
import { ImapIterator, type ChunkSink } from './imap.js';
import { TaskUnit, type Call, type Job, type JobHost } from './job.js';
import { moduleUrl } from './module-url.js';
import { TaskKind, type FromWorker, type TaskMessage, type ToWorker } from './protocol.js';
import { Queue } from './queue.js';
import { Slot } from './slot.js';
import { ApplyResult, AsyncResult, MapResult, promiseOf, type ResultCallbacks } from './results.js';
import { deserializeError } from './serialize-error.js';
import type {
  AbortSignalLike, AnyFunction, AnyTasks, ApplyOptions, ImapOptions, MapAsyncOptions, MapOptions, PoolOptions, PoolState,
  PoolStats, TaskArgs, TaskModule, TaskName, TaskResult,
} from './types.js';
import {
  abortSignal, argumentList, checkKeys, iteratorOf, materialize, nonNegativeInteger, optionalFunction, optionsObject,
  positiveInteger, taskRef, timeoutMs, transferList,
} from './validate.js';

const poolKeys = ['adapter', 'module', 'processes', 'initializer', 'initargs', 'maxTasksPerChild'] as const;
const callKeys = ['transfer', 'timeout', 'signal', 'retries'];
const applyKeys = [...callKeys, 'callback', 'errorCallback'];
const mapKeys = [...callKeys, 'chunksize'];
const mapAsyncKeys = [...mapKeys, 'callback', 'errorCallback'];

/** Workers that die before they are ready this many times in a row break the pool. */
const startFailureLimit = 3;

/** A call's cancellation limits, from its `timeout` and `signal` options. */
type Limits = { timeout: number | undefined; signal: AbortSignalLike | undefined };

/**
 * A pool of workers running the exports of one task module, with Python's `Pool` API.
 *
 * @typeParam M - the task module's type, `typeof import('./tasks.js')`, to check task names,
 * arguments and results at compile time. Omit it for an untyped pool.
 */
export class Pool<M extends TaskModule = AnyTasks> {
  readonly #adapter: Adapter;
  readonly #processes: number;
  /** `maxTasksPerChild`, where the adapter's workers can be retired. */
  readonly #isolatedMaxTasks: number | undefined;
  readonly #init: ToWorker;
  #state: PoolState = 'RUN';
  #brokenBy: BrokenPoolError | undefined;
  readonly #cache = new Set<Job>();
  readonly #queue = new Queue<TaskUnit>();
  readonly #slots = new Set<Slot>();
  #dispatchScheduled = false;
  /** Slots that can take units, rebuilt when a worker starts, becomes ready, is stopped or exits. */
  #usable: Slot[] = [];
  #usableStale = true;
  /** Options-free Calls by task, per TaskKind. */
  readonly #plainCalls = [new Map<unknown, Call>(), new Map<unknown, Call>(), new Map<unknown, Call>()];
  #completed = 0;
  #failed = 0;
  #startFailures = 0;
  #referenced = true;
  #joining = false;
  #exitWaiters: Array<() => void> = [];
  #terminated: Promise<void> | undefined;
  /** Calls with a `timeout` or `signal`: how to disarm them once they settle. */
  readonly #disarms = new Map<Job, () => void>();
  /** What jobs call when they settle: they leave the cache. */
  readonly #host: JobHost = {
    release: (job) => {
      if (!this.#cache.delete(job)) return;
      const disarm = this.#disarms.get(job);
      if (disarm) {
        this.#disarms.delete(job);
        disarm();
      }
      if (this.#cache.size > 0) return;
      this.#updateRef();
      if (this.#state === 'CLOSE') queueMicrotask(() => this.#dispatch());
    },
  };

  /**
   * Starts `processes` workers, each loading `module` and running `initializer`.
   * @throws TypeError / RangeError for bad options.
   */
  constructor(options: PoolOptions) {
    const opts = optionsObject('Pool', options);
    checkKeys('Pool', opts, poolKeys);
    const adapter = opts['adapter'] as Adapter | undefined;
    if (!adapter || typeof adapter !== 'object' || typeof adapter.spawn !== 'function') {
      throw new TypeError("Expected 'adapter' to be a pool adapter such as nodeWorkers() or inline()");
    }
    this.#adapter = adapter;
    this.#processes = positiveInteger('processes', opts['processes']) ?? Math.max(1, adapter.defaultProcesses());
    const maxTasksPerChild = opts['maxTasksPerChild'] === null ? undefined : positiveInteger('maxTasksPerChild', opts['maxTasksPerChild']);
    this.#isolatedMaxTasks = adapter.isolated ? maxTasksPerChild : undefined;
    const initargs = opts['initargs'] === undefined ? [] : argumentList('initargs', opts['initargs']);
    const initializer = opts['initializer'] === undefined || opts['initializer'] === null ? null : taskRef(opts['initializer'], 'initializer');
    const module = opts['module'] === undefined ? null : moduleUrl(opts['module'], adapter.cwd?.bind(adapter));
    this.#init = { type: 'init', module, initializer, initargs };
    this.#referenced = true;
    try {
      for (let i = 0; i < this.#processes; i++) this.#spawn();
    } catch (error) {
      for (const slot of this.#slots) void slot.handle?.terminate();
      this.#state = 'TERMINATE';
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
      workers: this.#slots.size,
      starting: [...this.#slots].filter((slot) => slot.phase === 'starting').length,
      busy: [...this.#slots].filter((slot) => slot.units.length > 0 && !slot.killed).length,
      queued: this.#queue.length,
      completed: this.#completed,
      failed: this.#failed,
      pending: this.#cache.size,
    };
  }

  // ---- submitting work -------------------------------------------------------------------

  /** Runs `task(...args)` in a worker and resolves to its result. */
  apply<K extends TaskName<M>>(task: K, args?: TaskArgs<M, K>, options?: ApplyOptions<TaskResult<M, K>>): Promise<TaskResult<M, K>>;
  apply<F extends AnyFunction>(task: F, args?: Parameters<F>, options?: ApplyOptions<Awaited<ReturnType<F>>>): Promise<Awaited<ReturnType<F>>>;
  apply(task: unknown, args?: unknown, options?: unknown): Promise<unknown> {
    try {
      return (this.applyAsync as (...a: unknown[]) => AsyncResult<unknown>)(task, args, options)[promiseOf];
    } catch (error) {
      return rejected(error);
    }
  }

  /** Submits `task(...args)` and returns its `AsyncResult` at once. Throws for bad arguments. */
  applyAsync<K extends TaskName<M>>(task: K, args?: TaskArgs<M, K>, options?: ApplyOptions<TaskResult<M, K>>): AsyncResult<TaskResult<M, K>>;
  applyAsync<F extends AnyFunction>(task: F, args?: Parameters<F>, options?: ApplyOptions<Awaited<ReturnType<F>>>): AsyncResult<Awaited<ReturnType<F>>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  applyAsync(task: unknown, args?: unknown, options?: unknown): AsyncResult<any> {
    const list = argumentList('args', args);
    const { call, callbacks, limits } = this.#prepare('applyAsync', TaskKind.Call, task, options, applyKeys);
    const result = new ApplyResult<unknown>(this.#host, callbacks);
    this.#track(result, limits);
    this.#enqueue(new TaskUnit(result, 0, call, list));
    return result;
  }

  /** Applies `task` to every item, in chunks, and resolves to the results in input order. */
  map<K extends TaskName<M>>(task: K, iterable: Iterable<TaskArgs<M, K>[0]>, options?: MapOptions): Promise<TaskResult<M, K>[]>;
  map<F extends AnyFunction>(task: F, iterable: Iterable<Parameters<F>[0]>, options?: MapOptions): Promise<Awaited<ReturnType<F>>[]>;
  map(task: unknown, iterable: unknown, options?: unknown): Promise<unknown[]> {
    return this.#promise(() => this.#mapAsync(TaskKind.Map, 'map', task, iterable, options));
  }

  /** As `map`, returning an `AsyncResult` at once. Throws for bad arguments. */
  mapAsync<K extends TaskName<M>>(task: K, iterable: Iterable<TaskArgs<M, K>[0]>, options?: MapAsyncOptions<TaskResult<M, K>>): AsyncResult<TaskResult<M, K>[]>;
  mapAsync<F extends AnyFunction>(task: F, iterable: Iterable<Parameters<F>[0]>, options?: MapAsyncOptions<Awaited<ReturnType<F>>>): AsyncResult<Awaited<ReturnType<F>>[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  mapAsync(task: unknown, iterable: unknown, options?: unknown): AsyncResult<any> {
    return this.#mapAsync(TaskKind.Map, 'mapAsync', task, iterable, options);
  }

  /** As `map`, but each item is an argument list: `task(...item)`. */
  starmap<K extends TaskName<M>>(task: K, iterable: Iterable<TaskArgs<M, K>>, options?: MapOptions): Promise<TaskResult<M, K>[]>;
  starmap<F extends AnyFunction>(task: F, iterable: Iterable<Parameters<F>>, options?: MapOptions): Promise<Awaited<ReturnType<F>>[]>;
  starmap(task: unknown, iterable: unknown, options?: unknown): Promise<unknown[]> {
    return this.#promise(() => this.#mapAsync(TaskKind.Starmap, 'starmap', task, iterable, options));
  }

  /** As `starmap`, returning an `AsyncResult` at once. Throws for bad arguments. */
  starmapAsync<K extends TaskName<M>>(task: K, iterable: Iterable<TaskArgs<M, K>>, options?: MapAsyncOptions<TaskResult<M, K>>): AsyncResult<TaskResult<M, K>[]>;
  starmapAsync<F extends AnyFunction>(task: F, iterable: Iterable<Parameters<F>>, options?: MapAsyncOptions<Awaited<ReturnType<F>>>): AsyncResult<Awaited<ReturnType<F>>[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  starmapAsync(task: unknown, iterable: unknown, options?: unknown): AsyncResult<any> {
    return this.#mapAsync(TaskKind.Starmap, 'starmapAsync', task, iterable, options);
  }

  /**
   * Lazily maps `task` over a sync or async iterable, yielding results in input order. Reads a
   * bounded number of chunks ahead; leaving the loop stops reading. Throws for bad arguments.
   */
  imap<K extends TaskName<M>>(task: K, iterable: Iterable<TaskArgs<M, K>[0]> | AsyncIterable<TaskArgs<M, K>[0]>, options?: ImapOptions): AsyncIterableIterator<TaskResult<M, K>>;
  imap<F extends AnyFunction>(task: F, iterable: Iterable<Parameters<F>[0]> | AsyncIterable<Parameters<F>[0]>, options?: ImapOptions): AsyncIterableIterator<Awaited<ReturnType<F>>>;
  imap(task: unknown, iterable: unknown, options?: unknown): AsyncIterableIterator<unknown> {
    return this.#imap(true, 'imap', task, iterable, options);
  }

  /** As `imap`, but yields results as they finish. */
  imapUnordered<K extends TaskName<M>>(task: K, iterable: Iterable<TaskArgs<M, K>[0]> | AsyncIterable<TaskArgs<M, K>[0]>, options?: ImapOptions): AsyncIterableIterator<TaskResult<M, K>>;
  imapUnordered<F extends AnyFunction>(task: F, iterable: Iterable<Parameters<F>[0]> | AsyncIterable<Parameters<F>[0]>, options?: ImapOptions): AsyncIterableIterator<Awaited<ReturnType<F>>>;
  imapUnordered(task: unknown, iterable: unknown, options?: unknown): AsyncIterableIterator<unknown> {
    return this.#imap(false, 'imapUnordered', task, iterable, options);
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** No new work; workers leave once the queue is drained. A no-op unless running. */
  close(): void {
    if (this.#state !== 'RUN') return;
    this.#state = 'CLOSE';
    this.#dispatch();
  }

  /** Resolves once every worker has exited. Rejects `PoolStateError` if the pool is still running. */
  join(): Promise<void> {
    if (this.#state === 'RUN') return rejected(new PoolStateError('Pool is still running: call close() or terminate() first'));
    this.#joining = true;
    this.#updateRef();
    return this.#allExited();
  }

  /** Stops every worker now; every unfinished result rejects `TerminatedError`. */
  terminate(): Promise<void> {
    if (this.#terminated) return this.#terminated;
    this.#state = 'TERMINATE';
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
    chunk(items, chunksize).forEach((part, index) => this.#queue.push(new TaskUnit(result, index, call, part)));
    this.#dispatch();
    return result;
  }

  #imap(ordered: boolean, method: string, task: unknown, iterable: unknown, options: unknown): ImapIterator<unknown> {
    const { call, limits, chunksize } = this.#prepare(method, TaskKind.Map, task, options, mapKeys);
    const source = iteratorOf(iterable);
    const sink: ChunkSink = {
      submit: (job, index, items) => this.#enqueue(new TaskUnit(job, index, call, items)),
      withdraw: (job) => {
        if (this.#queue.length > 0) this.#queue.remove((unit) => unit.job === job);
      },
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
    const ref = taskRef(task);
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

  #promise<T>(submit: () => PromiseLike<T>): Promise<T> {
    try {
      const result = submit();
      return result instanceof AsyncResult ? (result[promiseOf] as Promise<T>) : Promise.resolve(result);
    } catch (error) {
      return rejected(error);
    }
  }

  /** The options-free Call for a task, made once per task and kind. */
  #plainCall(kind: TaskKind, task: unknown): Call {
    const cache = this.#plainCalls[kind]!;
    let call = cache.get(task);
    if (!call) {
      call = { kind, task: taskRef(task), transfer: undefined, retries: 0 };
      if (cache.size >= 256) cache.clear();
      cache.set(task, call);
    }
    return call;
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

  /**
   * Drops a call's queued units, withdraws those a worker holds but has not started, stops the
   * workers running the others (they are replaced), and rejects the call.
   */
  #cancel(job: Job, error: Error): void {
    if (!this.#cache.has(job)) return;
    if (this.#queue.length > 0) this.#queue.remove((unit) => unit.job === job);
    for (const slot of this.#slots) {
      if (slot.killed || slot.units.length === 0) continue;
      if (slot.units[0]!.job === job) {
        // Mid-task, it cannot be interrupted: stop it. Its other units go back to the queue on exit.
        slot.units.shift();
        this.#failed++;
        this.#kill(slot);
        continue;
      }
      for (const unit of slot.units) if (unit.job === job) slot.handle.send({ type: 'skip', seq: unit.seq });
    }
    job.abort(error);
  }

  #kill(slot: Slot): void {
    slot.killed = true;
    this.#usableStale = true;
    void slot.handle.terminate().catch(() => {});
  }

  #enqueue(unit: TaskUnit): void {
    this.#queue.push(unit);
    // Deferred to the end of the tick, so a burst of submissions goes out as batches.
    if (!this.#dispatchScheduled) {
      this.#dispatchScheduled = true;
      queueMicrotask(() => this.#dispatch());
    }
  }

  /** Hands queued units to workers with room: idle workers first, then fair shares. */
  #dispatch(): void {
    this.#dispatchScheduled = false;
    if (this.#queue.length > 0) {
      if (this.#usableStale) {
        this.#usable = [...this.#slots].filter((slot) => slot.usable);
        this.#usableStale = false;
      }
      const usable = this.#usable;
      for (const slot of usable) if (slot.units.length === 0 && this.#queue.length > 0) this.#send(slot, 1);
      for (let i = 0; i < usable.length && this.#queue.length > 0; i++) {
        const room = usable[i]!.room(this.#isolatedMaxTasks);
        const share = Math.ceil(this.#queue.length / (usable.length - i));
        if (room > 0) this.#send(usable[i]!, Math.min(room, share));
      }
    }
    // After close(), workers stay while any call is unsettled: a lazy imap may still submit.
    if (this.#state === 'CLOSE' && this.#queue.length === 0 && this.#cache.size === 0) {
      for (const slot of this.#slots) if (slot.usable && slot.units.length === 0) this.#retire(slot);
    }
  }

  /** Sends up to `count` queued units to `slot`, in one message when there are several. */
  #send(slot: Slot, count: number): void {
    const units: TaskUnit[] = [];
    while (units.length < count && this.#queue.length > 0) {
      const unit = this.#queue.shift()!;
      // A unit whose call was cancelled before it was queued has nobody waiting for it.
      if (this.#cache.has(unit.job)) units.push(unit);
    }
    if (units.length === 0) return;
    const now = performance.now();
    // Consecutive units of one call go as one batch: kind and task once, the arguments as a list.
    for (let start = 0; start < units.length;) {
      let end = start + 1;
      while (end < units.length && units[end]!.call === units[start]!.call && !units[start]!.call.transfer) end++;
      if (end - start === 1 || !this.#sendBatch(slot, units, start, end, now)) {
        for (let i = start; i < end; i++) this.#sendOne(slot, units[i]!, now);
      }
      start = end;
    }
  }

  /** Sends units [start, end) of one call in one message; `false` if it cannot be cloned. */
  #sendBatch(slot: Slot, units: TaskUnit[], start: number, end: number, now: number): boolean {
    const { kind, task } = units[start]!.call;
    let single = kind === TaskKind.Call;
    const args: unknown[] = [];
    for (let i = start; i < end; i++) {
      const unitArgs = units[i]!.args;
      if (unitArgs.length !== 1) single = false;
      args.push(unitArgs);
    }
    // Single-argument calls go as a flat list: a fraction of the cloning.
    if (single) for (let i = 0; i < args.length; i++) args[i] = (args[i] as unknown[])[0];
    try {
      slot.handle.send({ type: 'batch', kind, task, args, single });
    } catch {
      // One unit cannot be sent: the caller sends them one by one, so that it alone fails.
      return false;
    }
    for (let i = start; i < end; i++) slot.hold(units[i]!, now);
    return true;
  }

  #sendOne(slot: Slot, unit: TaskUnit, now: number): void {
    try {
      slot.handle.send({ type: 'task', kind: unit.call.kind, task: unit.call.task, args: unit.args }, unit.call.transfer);
      slot.hold(unit, now);
    } catch (error) {
      this.#failed++;
      unit.job.accept(unit.index, false, asCloneError(error));
    }
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    // A worker the pool is stopping, or has seen exit, speaks no more: its answers are stale.
    if (slot.killed || slot.gone) return;
    switch (message.type) {
      case 'ok':
      case 'error':
      case 'skipped': {
        const unit = slot.answer(performance.now());
        if (!unit) return;
        if (this.#isolatedMaxTasks !== undefined && slot.answered >= this.#isolatedMaxTasks) {
          this.#retire(slot);
          if (this.#needsWorkers()) this.#respawn();
        }
        // Refill first: the worker gets its next units before callbacks run here.
        this.#dispatch();
        if (message.type === 'skipped' || !this.#cache.has(unit.job)) return;
        if (message.type === 'ok') {
          this.#completed++;
          unit.job.accept(unit.index, true, message.value);
        } else {
          this.#failed++;
          unit.job.accept(unit.index, false, deserializeError(message.error), message.done);
        }
        return;
      }
      case 'ready':
        this.#startFailures = 0;
        slot.phase = 'ready';
        this.#usableStale = true;
        break;
      case 'init-failed':
        this.#break(deserializeError(message.error));
        return;
    }
    this.#dispatch();
  }

  #onExit(slot: Slot, exit: WorkerExit): void {
    if (slot.gone) return;
    slot.gone = true;
    this.#slots.delete(slot);
    this.#usableStale = true;
    const units = slot.units.splice(0);
    // The head was running (unless the pool killed the worker for it, or it had not loaded the
    // module yet); the rest never started.
    const running = slot.killed || slot.phase === 'starting' ? undefined : units.shift();
    const unstarted = units.filter((unit) => this.#cache.has(unit.job));
    if (unstarted.length > 0) this.#queue.unshift(unstarted);
    if (running && this.#cache.has(running.job)) {
      if (running.retriesLeft > 0) {
        running.retriesLeft--;
        this.#queue.push(running);
      } else {
        this.#failed++;
        const cause = exit.error === undefined ? undefined : { cause: exit.error };
        running.job.accept(running.index, false, new WorkerExitError(exit.exitCode, exit.signal, cause));
      }
    }
    const needed = this.#needsWorkers();
    if (slot.phase === 'starting' && !slot.killed && needed && ++this.#startFailures >= startFailureLimit) {
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode ?? 'unknown'}`;
      this.#break(new Error(`${startFailureLimit} workers in a row exited before they were ready (last: ${how})`, { cause: exit.error }));
    } else if (needed && slot.phase !== 'leaving') {
      this.#respawn();
    }
    if (this.#slots.size === 0) for (const resolve of this.#exitWaiters.splice(0)) resolve();
    this.#dispatch();
  }

  #needsWorkers(): boolean {
    return this.#state === 'RUN' || (this.#state === 'CLOSE' && (this.#queue.length > 0 || this.#cache.size > 0));
  }

  #spawn(): void {
    const slot = new Slot();
    this.#slots.add(slot);
    this.#usableStale = true;
    slot.handle = this.#adapter.spawn({
      message: (message) => this.#onMessage(slot, message),
      exit: (exit) => this.#onExit(slot, exit),
    });
    if (!this.#referenced) slot.handle.unref?.();
    try {
      slot.handle.send(this.#init);
    } catch (error) {
      this.#break(asCloneError(error));
    }
  }

  #respawn(): void {
    try {
      this.#spawn();
    } catch (error) {
      this.#break(error);
    }
  }

  #retire(slot: Slot): void {
    slot.phase = 'leaving';
    this.#usableStale = true;
    slot.handle.send({ type: 'close' });
  }

  #break(cause: unknown): void {
    if (this.#state === 'BROKEN' || this.#state === 'TERMINATE') return;
    this.#state = 'BROKEN';
    this.#brokenBy = new BrokenPoolError(
      `Pool is broken: ${cause instanceof Error ? cause.message : 'a worker failed to start'}`, { cause });
    this.#failAll(this.#brokenBy);
    void this.#stopWorkers();
  }

  #failAll(error: Error): void {
    this.#queue.clear();
    for (const slot of this.#slots) slot.units.length = 0;
    for (const job of [...this.#cache]) job.abort(error);
    this.#cache.clear();
  }

  async #stopWorkers(): Promise<void> {
    for (const slot of this.#slots) slot.killed = true;
    this.#usableStale = true;
    this.#joining = true;
    this.#updateRef();
    await Promise.all([...this.#slots].map((slot) => slot.handle.terminate().catch(() => {})));
    await this.#allExited();
  }

  #allExited(): Promise<void> {
    if (this.#slots.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  /** Workers hold the host open only while there is work, or someone waits for them. */
  #updateRef(): void {
    const wanted = this.#cache.size > 0 || this.#joining;
    if (wanted === this.#referenced) return;
    this.#referenced = wanted;
    for (const slot of this.#slots) {
      if (wanted) slot.handle.ref?.();
      else slot.handle.unref?.();
    }
  }
}

function resultCallbacks(opts: Record<string, unknown>): { callback?: AnyFunction; errorCallback?: AnyFunction } {
  const callback = optionalFunction<AnyFunction>('callback', opts['callback']);
  const errorCallback = optionalFunction<AnyFunction>('errorCallback', opts['errorCallback']);
  return { ...(callback && { callback }), ...(errorCallback && { errorCallback }) };
}

/** A failed send is the caller's value's fault: a clone failure, or (kept as is) a bad transfer list. */
function asCloneError(error: unknown): Error {
  if (error instanceof DataCloneError || error instanceof TypeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DataCloneError(message, { cause: error });
}

function rejected<T>(error: unknown): Promise<T> {
  const promise = Promise.reject(error);
  promise.catch(() => {});
  return promise as Promise<T>;
}
