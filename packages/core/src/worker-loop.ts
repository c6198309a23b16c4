/**
 * The worker side of the pool, the same on every runtime: load the module once, run the
 * initializer, then run one unit at a time, in the order received, and answer each by its id.
 * @module
 */
import type { WorkerPort } from './adapter.js';
import { AbortError, TaskNotFoundError } from './errors.js';
import { hintClosures, moduleLoadHint, taskNotFound } from './hints.js';
import { protocolVersion, TaskKind, type InitStage, type TaskRef, type ToWorker } from './protocol.js';
import { lookaheadMs, windowAt } from './batching.js';
import { claim } from './recall.js';
import { unref } from './timers.js';
import { UnitQueue } from './worker-queue.js';
import { describe } from './serialize-error.js';
import { Answers } from './worker-answers.js';
import { ChunkRunner, isThenable } from './worker-chunks.js';
import { TaskContext } from './task-context.js';

type AnyFunction = (...args: unknown[]) => unknown;
type Init = Extract<ToWorker, { type: 'init' }>;

const forbiddenNames = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Runs the pool's worker loop over `port`. Every adapter's worker entry calls this and nothing
 * else; it returns at once and works from then on through the port's messages.
 */
export function runWorker(port: WorkerPort): void {
  const loop = new WorkerLoop(port);
  port.listen((message) => loop.receive(message));
}

/** One worker's state: its module, its queue of units, and the answers it holds back. */
class WorkerLoop {
  readonly #port: WorkerPort;
  #exports: Record<string, unknown> | null = null;
  /** The module's URL, to name it in messages. */
  #moduleName: string | null = null;
  /** The task name resolved last, and its function: tiny tasks come in runs of one name. */
  #lastTask: string | undefined;
  #lastFn: AnyFunction | undefined;
  /** Function tasks, compiled once per source text. */
  readonly #compiled = new Map<string, AnyFunction>();
  /** Where the pool reads which unit runs (shared memory), if it can. */
  #progress: Int32Array | null = null;
  /** Units received and not started, in order. */
  readonly #queue = new UnitQueue();
  /** A unit is running, or the module is loading: received units wait. */
  #busy = true;
  /** A check is armed on the units held behind a pending async unit (`#watchHeld`). */
  #watching = false;
  /** What `signal()` and `progress()` reach inside a task. */
  readonly #context: TaskContext;
  /** Where answers go: one by one, or held and sent together. */
  readonly #answers: Answers;
  /** How map and starmap chunks run. */
  readonly #chunks: ChunkRunner;
  /**
   * Whether this drain's units are timed (`batch` only): from the first unit with another behind
   * it. A lone unit is not: nothing waits behind it, answers held before it leave first, and a
   * sequential caller's every unit is one, so two clock reads and the pacing steps would be a
   * third of such a unit's cost here.
   */
  #timed = false;

  constructor(port: WorkerPort) {
    this.#port = port;
    this.#context = new TaskContext((message) => port.send(message), port.unitStore?.bind(port));
    this.#answers = new Answers(port);
    this.#chunks = new ChunkRunner(this.#answers, () => this.#next());
  }

  /** Every message from the pool. Units may arrive right behind `init`: they wait for the module. */
  receive(message: ToWorker): void {
    switch (message.type) {
      case 'task':
      case 'batch':
        this.#queue.push(message);
        break;
      case 'init':
        void this.#init(message);
        return;
      case 'close':
        this.#port.exit();
        return;
      case 'abort':
        this.#abort(message.id);
        return;
    }
    if (!this.#busy) this.#drain();
    // Units that came while an async unit is pending (busy before init is done: not pending).
    else if (this.#answers.asyncPending) this.#watchHeld();
  }

  /** Step 1: check the protocol, load the module, run the initializer; then start on the units. */
  async #init(message: Init): Promise<void> {
    this.#progress = message.progress;
    this.#answers.configure(message.batchAnswers, message.packFrom);
    if (message.memoryLimit !== undefined && this.#port.memory) this.#answers.memoryLimit = message.memoryLimit;
    let stage: InitStage = 'protocol';
    try {
      if (message.protocol !== protocolVersion) {
        throw new Error(`This worker's @pool/core speaks protocol ${protocolVersion}, the pool's ${String(message.protocol)}: install one version of @pool/core`);
      }
      stage = 'module';
      this.#moduleName = message.module;
      if (message.module !== null) this.#exports = (await import(message.module)) as Record<string, unknown>;
      stage = 'initializer';
      if (message.initializer !== null) await this.#resolve(message.initializer)(...message.initargs);
    } catch (error) {
      this.#port.send({ type: 'init-failed', stage, error: this.#answers.serialize(stage === 'module' ? moduleLoadHint(error, message.module) : error) });
      return;
    }
    this.#port.send({ type: 'ready' });
    this.#next();
  }

  /** Step 2: run waiting units in order until one goes async or none is left; then send held answers. */
  #drain(): void {
    const queue = this.#queue;
    while (queue.take()) {
      const id = queue.id;
      if (this.#progress) {
        // The pool took the unit back before it started: answer it as cancelled, run nothing.
        if (!claim(this.#progress, id)) {
          this.#answers.fail(id, new AbortError('The call was cancelled'));
          continue;
        }
        Atomics.store(this.#progress, 0, id + 1);
      }
      this.#context.start(id);
      if (!this.#timed) {
        if (queue.more) this.#timed = this.#answers.batch;
        else this.#answers.flush(); // answers held since an async unit do not wait behind a lone one
      }
      const store = this.#context.store;
      const sync = store
        ? store.run(id, () => this.#run(id, queue.kind, queue.task, queue.single, queue.value, queue.segmented))
        : this.#run(id, queue.kind, queue.task, queue.single, queue.value, queue.segmented);
      if (!sync) {
        this.#busy = true;
        if (this.#answers.batch) {
          this.#answers.stopped(false);
          if (queue.more) this.#watchHeld();
        }
        this.#timed = false;
        this.#answers.flush();
        return;
      }
    }
    this.#context.running = -1;
    if (this.#timed) this.#answers.stopped(true);
    this.#timed = false;
    this.#answers.flush();
  }

  /** An async unit has answered (or the module has loaded): carry on with the next. */
  #next(): void {
    this.#busy = false;
    if (this.#answers.batch) {
      const took = this.#answers.resumed();
      if (took > 0) this.#giveBack(took, 0);
    }
    this.#drain();
  }

  /**
   * Units held behind an async unit wait for it, while another worker may be free: once it has
   * been pending {@link lookaheadMs} (a long unit, by the window's measure; shorter ones keep
   * their units held, which saves a round trip per unit), they go back to the pool (a sync unit
   * blocks the worker, so only its end can say so). One check at a time, following the worker
   * from unit to unit.
   */
  #watchHeld(): void {
    if (this.#watching) return;
    this.#watching = true;
    const timer = setTimeout(() => {
      this.#watching = false;
      if (!this.#answers.asyncPending) return;
      const pending = this.#answers.pendingFor();
      if (pending < lookaheadMs) {
        this.#watchHeld();
        return;
      }
      // All of them: the pool sends this worker nothing more until the pending unit answers.
      const ids = this.#queue.giveBack(0);
      if (ids.length > 0) this.#port.send({ type: 'returned', ids, ms: pending, stalled: true });
    }, lookaheadMs);
    unref(timer);
  }

  /**
   * A unit took `ms`, and the units held here waited behind it: keep what a window at that pace
   * allows (`running`: one of it has started already) and return the rest (`batching.ts`, point 4).
   */
  #giveBack(ms: number, running: number): void {
    const ids = this.#queue.giveBack(windowAt(ms) - running);
    if (ids.length > 0) this.#port.send({ type: 'returned', ids, ms });
  }

  /**
   * The pool cancelled unit `id`'s call: a running task sees its `signal()` abort; a unit not
   * started is dropped, and answered as cancelled so the pool knows this worker is free of it.
   */
  #abort(id: number): void {
    if (this.#context.running === id) return this.#context.abort(id);
    if (this.#queue.drop(id)) this.#answers.fail(id, new AbortError('The call was cancelled'));
  }

  /**
   * Step 3: run unit `id` of `task` over `args` (its one argument where `single`, else its
   * argument list, or its chunk); `true` if it finished synchronously, else it calls `#next()`.
   */
  #run(id: number, kind: TaskKind, task: TaskRef, single: boolean, args: unknown, segmented: boolean): boolean {
    let fn: AnyFunction;
    try {
      fn = this.#resolve(task);
    } catch (error) {
      this.#answers.fail(id, error);
      return true;
    }
    if (this.#timed) {
      const took = this.#answers.starting(fn);
      if (took > 0) this.#giveBack(took, 1);
    }
    if (kind !== TaskKind.Call) return this.#chunks.run(id, fn, args, kind === TaskKind.Starmap, segmented);
    // A call, inline: the loop's hottest path is one function for the JIT to compile.
    let value: unknown;
    try {
      value = single ? fn(args) : fn(...(args as unknown[]));
    } catch (error) {
      this.#answers.fail(id, error);
      return true;
    }
    // Sync tasks answer without a trip through the microtask queue.
    if (!isThenable(value)) {
      this.#answers.succeed(id, value);
      return true;
    }
    Promise.resolve(value).then(
      (settled) => {
        this.#answers.succeed(id, settled);
        this.#next();
      },
      (error) => {
        this.#answers.fail(id, error);
        this.#next();
      },
    );
    return false;
  }

  /** A task name is an own export; a function task is compiled from its source once. */
  #resolve(task: TaskRef): AnyFunction {
    if (typeof task !== 'string') {
      let fn = this.#compiled.get(task.source);
      if (!fn) this.#compiled.set(task.source, (fn = hintClosures(compile(task.source))));
      return fn;
    }
    if (this.#exports === null) throw new TaskNotFoundError(task, 'cannot be found: the pool has no task module');
    // The last task again, its export unchanged: checking a module namespace's own properties
    // is its slow path (~0.3 µs), a tenth of a tiny task's whole cost.
    if (task === this.#lastTask && this.#exports[task] === this.#lastFn) return this.#lastFn!;
    const fn = !forbiddenNames.has(task) && Object.hasOwn(this.#exports, task) ? this.#exports[task] : undefined;
    if (typeof fn !== 'function') throw taskNotFound(task, this.#exports, this.#moduleName);
    this.#lastTask = task;
    this.#lastFn = fn as AnyFunction;
    return fn as AnyFunction;
  }
}

/** Compiles a function task from its source text; method shorthand (`f(x) {…}`) is accepted too. */
function compile(source: string): AnyFunction {
  let fn: unknown;
  try {
    fn = new Function(`return (${source});`)();
  } catch {
    const holder = new Function(`return ({ ${source} });`)() as Record<string, unknown>;
    fn = Object.values(holder)[0];
  }
  if (typeof fn !== 'function') throw new TypeError(`Task source is not a function: ${describe(source)}`);
  return fn as AnyFunction;
}
