/**
 * The worker side of the pool, the same on every runtime: load the module once, run the
 * initializer, then run one task at a time and send back its result or its error.
 * @module
 */
import type { WorkerPort } from './adapter.js';
import { MaybeEncodingError, TaskNotFoundError } from './errors.js';
import { hintClosures, moduleLoadHint, taskNotFound } from './hints.js';
import { protocolVersion, TaskKind, type TaskMessage, type TaskRef, type ToWorker } from './protocol.js';
import { describe, serializeError, type SerializedError } from './serialize-error.js';

type AnyFunction = (...args: unknown[]) => unknown;

const forbiddenNames = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Runs the pool's worker loop over `port`. Every adapter's worker entry calls this and nothing
 * else; it returns at once and works from then on through the port's messages.
 */
export function runWorker(port: WorkerPort): void {
  let exports: Record<string, unknown> | null = null;
  let moduleName: string | null = null;
  const compiled = new Map<string, AnyFunction>();

  const serialize = (thrown: unknown): SerializedError =>
    port.byReference ? { kind: 'raw', value: thrown } : serializeError(thrown);

  function resolve(task: TaskRef): AnyFunction {
    if (typeof task !== 'string') {
      let fn = compiled.get(task.source);
      if (!fn) compiled.set(task.source, (fn = hintClosures(compile(task.source))));
      return fn;
    }
    if (exports === null) throw new TaskNotFoundError(task, 'cannot be found: the pool has no task module');
    const fn = !forbiddenNames.has(task) && Object.hasOwn(exports, task) ? exports[task] : undefined;
    if (typeof fn !== 'function') throw taskNotFound(task, exports, moduleName);
    return fn as AnyFunction;
  }

  // Where the pool can see which unit is running (`progress`, shared memory), successful answers
  // wait and leave together at the end of the drain: one message for many units.
  let progress: Int32Array | null = null;
  const answers: unknown[] = [];

  function succeed(value: unknown): void {
    if (progress) answers.push(value);
    else sendValue(value);
  }

  function flush(): void {
    if (answers.length === 0) return;
    const values = answers.splice(0);
    try {
      port.send(values.length === 1 ? { type: 'ok', value: values[0] } : { type: 'values', values });
    } catch {
      // One value cannot be sent: answer one by one, so that it alone fails.
      for (const value of values) sendValue(value);
    }
  }

  function sendValue(value: unknown): void {
    try {
      port.send({ type: 'ok', value });
    } catch (reason) {
      const error = new MaybeEncodingError(describe(value), reason instanceof Error ? reason.message : describe(reason));
      port.send({ type: 'error', error: serialize(error) });
    }
  }

  function fail(thrown: unknown, done?: unknown[]): void {
    flush();
    const error = serialize(thrown);
    try {
      port.send(done && done.length > 0 ? { type: 'error', error, done } : { type: 'error', error });
    } catch {
      port.send({ type: 'error', error });
    }
  }

  async function init(message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
    progress = message.progress;
    try {
      if (message.protocol !== protocolVersion) {
        throw new Error(`This worker's @pool/core speaks protocol ${protocolVersion}, the pool's ${String(message.protocol)}: install one version of @pool/core`);
      }
      moduleName = message.module;
      if (message.module !== null) exports = (await import(message.module)) as Record<string, unknown>;
      if (message.initializer !== null) await resolve(message.initializer)(...message.initargs);
    } catch (error) {
      port.send({ type: 'init-failed', error: serialize(moduleLoadHint(error)) });
      return;
    }
    port.send({ type: 'ready' });
    next();
  }

  // Units run one at a time, in the order sent.
  const waiting: TaskMessage[] = [];
  let started = 0;
  // Units may arrive right behind `init`: they wait until the module has loaded.
  let running = true;

  function drain(): void {
    while (waiting.length > 0) {
      const message = waiting.shift()!;
      if (progress) Atomics.store(progress, 0, started + 1);
      started++;
      if (!run(message)) {
        running = true;
        flush();
        return;
      }
    }
    flush();
  }

  function next(): void {
    running = false;
    drain();
  }

  /** Runs one unit; `true` if it finished synchronously, else it calls `next()` when done. */
  function run(message: TaskMessage): boolean {
    let fn: AnyFunction;
    try {
      fn = resolve(message.task);
    } catch (error) {
      fail(error);
      return true;
    }
    return message.kind === TaskKind.Call ? runCall(fn, message.args) : runChunk(fn, message.args, message.kind === TaskKind.Starmap);
  }

  function runCall(fn: AnyFunction, args: readonly unknown[]): boolean {
    let value: unknown;
    try {
      value = fn(...args);
    } catch (error) {
      fail(error);
      return true;
    }
    // Sync tasks answer without a trip through the microtask queue.
    if (!isThenable(value)) {
      succeed(value);
      return true;
    }
    Promise.resolve(value).then(
      (settled) => { succeed(settled); next(); },
      (error) => { fail(error); next(); },
    );
    return false;
  }

  function runChunk(fn: AnyFunction, items: readonly unknown[], star: boolean, from = 0, out: unknown[] = [], async = false): boolean {
    for (let i = from; i < items.length; i++) {
      let value: unknown;
      try {
        value = star ? fn(...(items[i] as unknown[])) : fn(items[i]);
      } catch (error) {
        fail(error, out);
        if (async) next();
        return !async;
      }
      if (isThenable(value)) {
        Promise.resolve(value).then(
          (settled) => { out.push(settled); runChunk(fn, items, star, i + 1, out, true); },
          (error) => { fail(error, out); next(); },
        );
        return false;
      }
      out.push(value);
    }
    succeed(out);
    if (async) next();
    return !async;
  }

  port.listen((message) => {
    switch (message.type) {
      case 'task':
        waiting.push(message);
        break;
      case 'batch': {
        const { kind, task, args, single } = message;
        for (const item of args) waiting.push({ kind, task, args: single ? [item] : (item as unknown[]) });
        break;
      }
      case 'init':
        void init(message);
        return;
      case 'close':
        port.exit();
        return;
    }
    if (!running) drain();
  });
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
