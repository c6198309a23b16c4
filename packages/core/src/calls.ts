/**
 * The pool's calls, checked: task references, per-call options, the `adapter` option, result
 * callbacks, handled rejections.
 * @module
 */
import type { Adapter } from './adapter.js';
import type { QueueAdapter } from './executor.js';
import type { Call } from './job.js';
import type { Limits } from './limits.js';
import type { TaskKind, TaskRef } from './protocol.js';
import { type AsyncResult, promiseOf, type ResultCallbacks } from './results.js';
import type { AnyFunction } from './types.js';
import {
  abortSignal, checkKeys, milliseconds, nonNegativeInteger, optionalFunction, optionsObject, positiveInteger, taskRef, transferList,
} from './validate.js';

const callKeys = ['transfer', 'timeout', 'signal', 'retries', 'onProgress'];
const mapKeys = [...callKeys, 'chunksize'];
/** The options each kind of method takes. */
export const optionKeys = {
  apply: [...callKeys, 'callback', 'errorCallback'],
  map: mapKeys,
  mapAsync: [...mapKeys, 'callback', 'errorCallback'],
};

/** A call, checked: how its units run, its callbacks, its limits, its chunk size. Shared: read only. */
export interface Prepared {
  readonly call: Call;
  readonly callbacks: ResultCallbacks<unknown> | undefined;
  readonly limits: Limits | undefined;
  readonly chunksize: number | undefined;
}

/** Turns a method's task and options into a {@link Call}, once per task for calls with no options. */
export class Calls {
  /** Options-free calls, prepared, by task, per TaskKind. */
  readonly #plainCalls = [new Map<unknown, Prepared>(), new Map<unknown, Prepared>(), new Map<unknown, Prepared>()];

  /**
   * Function tasks' references, by function: its source is read once (`toString` and a check for
   * native code cost as much as the rest of a call with options), and its calls share one reference.
   */
  readonly #functionRefs = new WeakMap<AnyFunction, TaskRef>();

  constructor(readonly adapter: Adapter | QueueAdapter) {}

  /** Checks a call's task and options. Throws for anything wrong. */
  prepare(method: string, kind: TaskKind, task: unknown, options: unknown, keys: readonly string[]): Prepared {
    // The common case, on the hot path: no options to check, and one shared Call per task.
    if (options === undefined) return this.#plainCall(kind, task);
    const ref = this.taskRef(task);
    const opts = optionsObject(method, options);
    checkKeys(method, opts, keys);
    const callbacks = resultCallbacks(opts);
    const transfer = transferList(opts['transfer']);
    const chunksize = positiveInteger('chunksize', opts['chunksize']);
    const retries = nonNegativeInteger('retries', opts['retries']) ?? 0;
    const timeout = milliseconds('timeout', opts['timeout']);
    const signal = abortSignal(opts['signal']);
    const onProgress = optionalFunction<(value: unknown) => void>('onProgress', opts['onProgress']);
    const limits = timeout === undefined && signal === undefined ? undefined : { timeout, signal };
    return { call: { kind, task: ref, transfer, retries, ...(onProgress && { onProgress }) }, callbacks, limits, chunksize };
  }

  /** The options-free call of a task, prepared once per task and kind (callers only read it). */
  #plainCall(kind: TaskKind, task: unknown): Prepared {
    const cache = this.#plainCalls[kind]!;
    let prepared = cache.get(task);
    if (!prepared) {
      const call = { kind, task: this.taskRef(task), transfer: undefined, retries: 0 };
      prepared = { call, callbacks: undefined, limits: undefined, chunksize: undefined };
      if (cache.size >= 256) cache.clear();
      cache.set(task, prepared);
    }
    return prepared;
  }

  /** A task reference, refused where the adapter cannot run function tasks. */
  taskRef(task: unknown, name = 'task'): TaskRef {
    const known = typeof task === 'function' ? this.#functionRefs.get(task as AnyFunction) : undefined;
    if (known) return known;
    const ref = taskRef(task, name);
    if (typeof ref !== 'string' && !this.adapter.supports.functionTasks) {
      throw new TypeError(`The ${this.adapter.name} adapter cannot run function tasks: '${name}' must name an export of the module`);
    }
    if (typeof ref !== 'string') this.#functionRefs.set(task as AnyFunction, ref);
    return ref;
  }

}

/** The `adapter` option: a channel adapter (`spawn`) or a queue adapter (`open`), with its manifest. */
export function poolAdapter(value: unknown): Adapter | QueueAdapter {
  const adapter = value as Partial<Adapter & QueueAdapter> | null | undefined;
  if (!adapter || typeof adapter !== 'object' || (typeof adapter.spawn !== 'function' && typeof adapter.open !== 'function')) {
    throw new TypeError("Expected 'adapter' to be a pool adapter such as nodeWorkers() or inline()");
  }
  if (!adapter.supports || typeof adapter.supports !== 'object') {
    throw new TypeError(`Expected adapter '${String(adapter.name)}' to declare what it supports ('supports'): is it built for another version of @pool/core?`);
  }
  return adapter as Adapter | QueueAdapter;
}

export function resultCallbacks(opts: Record<string, unknown>): { callback?: AnyFunction; errorCallback?: AnyFunction } {
  const callback = optionalFunction<AnyFunction>('callback', opts['callback']);
  const errorCallback = optionalFunction<AnyFunction>('errorCallback', opts['errorCallback']);
  return { ...(callback && { callback }), ...(errorCallback && { errorCallback }) };
}

/** The Promise form of a call: its result's own (handled) promise, or a rejection for bad input. */
export function promiseFor<T>(submit: () => AsyncResult<T>): Promise<T> {
  try {
    return submit()[promiseOf];
  } catch (error) {
    return rejected(error);
  }
}

/** A rejected promise that is marked handled, for calls that fail before they start. */
export function rejected<T>(error: unknown): Promise<T> {
  const promise = Promise.reject(error);
  promise.catch(() => {});
  return promise as Promise<T>;
}
