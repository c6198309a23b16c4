/**
 * What a task can reach from inside its worker: `signal()`, the running call's `AbortSignal`,
 * and `progress(value)`, a message to the caller's `onProgress`. Both name the unit whose task
 * calls them: where the port gives a `UnitStore`, the one that started the work calling (so a
 * timer a task left behind reaches its own, settled call: nothing), else the unit running now.
 * The context is found through a global symbol, so a task module that imports another copy of
 * `@pool/core/worker` than the adapter's still reaches the running worker.
 * @module
 */
import type { UnitStore } from './adapter.js';
import { AbortError, DataCloneError } from './errors.js';
import type { FromWorker } from './protocol.js';

declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
/** The runtime's `AbortSignal` (every runtime the pool supports has one). */
export interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  throwIfAborted(): void;
}

const key = Symbol.for('@pool/core:task-context');
/** Worker loops in this realm: more than one only in `inline()`, where each unit re-installs its own. */
let loops = 0;

/** One worker's running unit, as tasks see it. Allocates nothing per unit unless a task asks. */
export class TaskContext {
  /** The unit running now, or -1 between units. */
  running = -1;
  #controller: AbortController | undefined;
  #controllerFor = -1;
  /** The last unit the pool cancelled, if it was running: its signal is born aborted. */
  #aborted = -1;
  /** Which unit started the work running, once a task has used `progress()` or `signal()`. */
  store: UnitStore | undefined;

  constructor(
    readonly send: (message: FromWorker) => void,
    readonly makeStore?: () => UnitStore,
  ) {
    loops++;
    (globalThis as Record<symbol, unknown>)[key] = this;
  }

  /** The worker starts unit `id`. */
  start(id: number): void {
    this.running = id;
    if (loops > 1) (globalThis as Record<symbol, unknown>)[key] = this;
  }

  /**
   * The unit whose work calls: the store's, once there is one (made here, at the first call; the
   * unit running now, which made that call, owns the rest of its work), else the running one.
   */
  #caller(): number {
    if (!this.store) {
      if (!this.makeStore) return this.running;
      this.store = this.makeStore();
      if (this.running >= 0) this.store.enterWith(this.running);
    }
    return this.store.getStore() ?? this.running;
  }

  /** The calling work's signal: the running call's, made on first use; aborted for a call that has settled. */
  signal(): AbortSignal {
    if (this.#caller() !== this.running) return settled().signal;
    if (this.#controllerFor !== this.running || !this.#controller) {
      this.#controller = new AbortController();
      this.#controllerFor = this.running;
      if (this.#aborted === this.running) this.#controller.abort(cancelled());
    }
    return this.#controller.signal;
  }

  /** The pool cancelled the call of the running unit `id`. */
  abort(id: number): void {
    this.#aborted = id;
    if (this.#controllerFor === id && this.#controller) this.#controller.abort(cancelled());
  }

  progress(value: unknown): void {
    const caller = this.#caller();
    // Its call has settled: nobody listens, and a throw would kill a worker another call may be using.
    if (caller !== this.running) return;
    if (caller < 0) throw new Error('progress() was called outside a running task');
    try {
      this.send({ type: 'progress', id: this.running, value });
    } catch (error) {
      // The channel's own error differs by runtime (a DOMException, v8's Error): one class for all.
      throw new DataCloneError(`progress() was given a value that cannot be sent to the pool: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

function cancelled(): AbortError {
  return new AbortError('The call was cancelled');
}

/** A controller for a call that is over: there is nothing left to do for it. */
function settled(): AbortController {
  const controller = new AbortController();
  controller.abort(new AbortError('The call has settled: its task returned before this signal() was asked for'));
  return controller;
}

function current(what: string): TaskContext {
  const context = (globalThis as Record<symbol, TaskContext | undefined>)[key];
  if (!context) throw new Error(`${what} can only be called inside a task running in a pool worker`);
  return context;
}

/**
 * The `AbortSignal` of the call this task belongs to: it aborts when the call is cancelled
 * (`timeout`, `signal`, `terminate()` does not), so the task can stop on its own before the pool's
 * `cancelGrace` runs out and its worker is stopped. Asked for after the task returned (from a timer
 * it left), it is already aborted: the call is over. That holds where the adapter declares
 * `supports.asyncContext` (Node, Deno, Bun); elsewhere (`inline()`, browsers) call it before the
 * task's first `await` and keep it.
 */
export function signal(): AbortSignal {
  return current('signal()').signal();
}

/**
 * Sends `value` to the caller's `onProgress` for this call, in order with the task's other
 * progress values. Values are cloned like results. Called after the task returned (from a timer
 * it left), it does nothing: the call has settled. That holds where the adapter declares
 * `supports.asyncContext` (Node, Deno, Bun); elsewhere such a call reaches the unit running
 * then. In `inline()`, where several tasks share one realm, call it before the task's first `await`.
 */
export function progress(value: unknown): void {
  current('progress()').progress(value);
}
