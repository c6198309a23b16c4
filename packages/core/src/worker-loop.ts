/**
 * The worker side of the pool, the same on every runtime: load the module once, run the
 * initializer, then run one unit at a time, in the order received, and answer each by its id.
 * @module
 */
import type { WorkerPort } from './adapter.js';
import { AbortError, MaybeEncodingError, TaskNotFoundError } from './errors.js';
import { hintClosures, moduleLoadHint, taskNotFound } from './hints.js';
import { protocolVersion, TaskKind, type InitStage, type TaskMessage, type TaskRef, type ToWorker } from './protocol.js';
import { claim } from './recall.js';
import { describe, serializeError, type SerializedError } from './serialize-error.js';
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
  /** Function tasks, compiled once per source text. */
  readonly #compiled = new Map<string, AnyFunction>();
  /** Where the pool reads which unit runs (shared memory), if it can. */
  #progress: Int32Array | null = null;
  /** Whether successful answers wait and leave together at the end of a drain. */
  #batchAnswers = false;
  readonly #held: { ids: number[]; values: unknown[] } = { ids: [], values: [] };
  /** Units received and not started, in order. */
  readonly #waiting: TaskMessage[] = [];
  /** A unit is running, or the module is loading: received units wait. */
  #busy = true;
  /** What `signal()` and `progress()` reach inside a task. */
  readonly #context: TaskContext;
  /** `init.memoryLimit` where the port can measure memory, else 0; `-1` once reported. */
  #memoryLimit = 0;
  #memoryCheckedAt = -Infinity;

  constructor(port: WorkerPort) {
    this.#port = port;
    this.#context = new TaskContext((message) => port.send(message));
  }

  /** Every message from the pool. Units may arrive right behind `init`: they wait for the module. */
  receive(message: ToWorker): void {
    switch (message.type) {
      case 'task':
        this.#waiting.push(message);
        break;
      case 'batch': {
        const { ids, kind, task, args, single } = message;
        for (let i = 0; i < args.length; i++) this.#waiting.push({ id: ids[i]!, kind, task, args: single ? [args[i]] : (args[i] as unknown[]) });
        break;
      }
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
  }

  /** Step 1: check the protocol, load the module, run the initializer; then start on the units. */
  async #init(message: Init): Promise<void> {
    this.#progress = message.progress;
    this.#batchAnswers = message.batchAnswers && message.progress !== null;
    if (message.memoryLimit !== undefined && this.#port.memory) this.#memoryLimit = message.memoryLimit;
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
      this.#port.send({ type: 'init-failed', stage, error: this.#serialize(stage === 'module' ? moduleLoadHint(error) : error) });
      return;
    }
    this.#port.send({ type: 'ready' });
    this.#next();
  }

  /** Step 2: run waiting units in order until one goes async or none is left; then send held answers. */
  #drain(): void {
    while (this.#waiting.length > 0) {
      const unit = this.#waiting.shift()!;
      if (this.#progress) {
        // The pool took the unit back before it started: answer it as cancelled, run nothing.
        if (!claim(this.#progress, unit.id)) {
          this.#fail(unit.id, new AbortError('The call was cancelled'));
          continue;
        }
        Atomics.store(this.#progress, 0, unit.id + 1);
      }
      this.#context.start(unit.id);
      if (!this.#run(unit)) {
        this.#busy = true;
        this.#flush();
        return;
      }
    }
    this.#context.running = -1;
    this.#flush();
  }

  /** An async unit has answered: carry on with the next. */
  #next(): void {
    this.#busy = false;
    this.#drain();
  }

  /**
   * Before an answer leaves: over the memory limit, ask (once) to be retired, so the pool starts
   * the replacement before it sees the answer. Measuring costs microseconds: at most once a ms.
   */
  #checkMemory(): void {
    const now = performance.now();
    if (now - this.#memoryCheckedAt < 1) return;
    this.#memoryCheckedAt = now;
    const bytes = this.#port.memory!();
    if (bytes <= this.#memoryLimit) return;
    this.#memoryLimit = -1;
    this.#port.send({ type: 'memory', bytes });
  }

  /**
   * The pool cancelled unit `id`'s call: a running task sees its `signal()` abort; a unit not
   * started is dropped, and answered as cancelled so the pool knows this worker is free of it.
   */
  #abort(id: number): void {
    if (this.#context.running === id) return this.#context.abort(id);
    const at = this.#waiting.findIndex((unit) => unit.id === id);
    if (at < 0) return;
    this.#waiting.splice(at, 1);
    this.#fail(id, new AbortError('The call was cancelled'));
  }

  /** Step 3: run one unit; `true` if it finished synchronously, else it calls `#next()` when done. */
  #run(unit: TaskMessage): boolean {
    let fn: AnyFunction;
    try {
      fn = this.#resolve(unit.task);
    } catch (error) {
      this.#fail(unit.id, error);
      return true;
    }
    return unit.kind === TaskKind.Call ? this.#runCall(unit.id, fn, unit.args) : this.#runChunk(unit.id, fn, unit.args, unit.kind === TaskKind.Starmap);
  }

  #runCall(id: number, fn: AnyFunction, args: readonly unknown[]): boolean {
    let value: unknown;
    try {
      value = fn(...args);
    } catch (error) {
      this.#fail(id, error);
      return true;
    }
    // Sync tasks answer without a trip through the microtask queue.
    if (!isThenable(value)) {
      this.#succeed(id, value);
      return true;
    }
    Promise.resolve(value).then(
      (settled) => {
        this.#succeed(id, settled);
        this.#next();
      },
      (error) => {
        this.#fail(id, error);
        this.#next();
      },
    );
    return false;
  }

  /** A chunk: items one after another; an async item continues the chunk when it settles. */
  #runChunk(id: number, fn: AnyFunction, items: readonly unknown[], star: boolean, from = 0, out: unknown[] = [], async = false): boolean {
    for (let i = from; i < items.length; i++) {
      let value: unknown;
      try {
        value = star ? fn(...(items[i] as unknown[])) : fn(items[i]);
      } catch (error) {
        this.#fail(id, error, out);
        if (async) this.#next();
        return !async;
      }
      if (isThenable(value)) {
        Promise.resolve(value).then(
          (settled) => {
            out.push(settled);
            this.#runChunk(id, fn, items, star, i + 1, out, true);
          },
          (error) => {
            this.#fail(id, error, out);
            this.#next();
          },
        );
        return false;
      }
      out.push(value);
    }
    this.#succeed(id, out);
    if (async) this.#next();
    return !async;
  }

  /** A task name is an own export; a function task is compiled from its source once. */
  #resolve(task: TaskRef): AnyFunction {
    if (typeof task !== 'string') {
      let fn = this.#compiled.get(task.source);
      if (!fn) this.#compiled.set(task.source, (fn = hintClosures(compile(task.source))));
      return fn;
    }
    if (this.#exports === null) throw new TaskNotFoundError(task, 'cannot be found: the pool has no task module');
    const fn = !forbiddenNames.has(task) && Object.hasOwn(this.#exports, task) ? this.#exports[task] : undefined;
    if (typeof fn !== 'function') throw taskNotFound(task, this.#exports, this.#moduleName);
    return fn as AnyFunction;
  }

  // ---- answers ---------------------------------------------------------------------------

  #succeed(id: number, value: unknown): void {
    if (!this.#batchAnswers) return this.#sendValue(id, value);
    this.#held.ids.push(id);
    this.#held.values.push(value);
  }

  /** Sends the held answers as one message. */
  #flush(): void {
    const { ids, values } = this.#held;
    if (ids.length === 0) return;
    if (this.#memoryLimit > 0) this.#checkMemory();
    this.#held.ids = [];
    this.#held.values = [];
    try {
      this.#port.send(ids.length === 1 ? { type: 'ok', id: ids[0]!, value: values[0] } : { type: 'values', ids, values });
    } catch {
      // One value cannot be sent: answer one by one, so that it alone fails.
      for (let i = 0; i < ids.length; i++) this.#sendValue(ids[i]!, values[i]);
    }
  }

  #sendValue(id: number, value: unknown): void {
    if (this.#memoryLimit > 0) this.#checkMemory();
    try {
      this.#port.send({ type: 'ok', id, value });
    } catch (reason) {
      const error = new MaybeEncodingError(describe(value), reason instanceof Error ? reason.message : describe(reason));
      this.#port.send({ type: 'error', id, error: this.#serialize(error) });
    }
  }

  #fail(id: number, thrown: unknown, done?: unknown[]): void {
    this.#flush();
    if (this.#memoryLimit > 0) this.#checkMemory();
    const error = this.#serialize(thrown);
    try {
      this.#port.send(done && done.length > 0 ? { type: 'error', id, error, done } : { type: 'error', id, error });
    } catch {
      this.#port.send({ type: 'error', id, error });
    }
  }

  #serialize(thrown: unknown): SerializedError {
    return this.#port.byReference ? { kind: 'raw', value: thrown } : serializeError(thrown);
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

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function';
}
