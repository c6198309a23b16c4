/**
 * What a task can reach from inside its worker: `signal()`, the running call's `AbortSignal`,
 * and `progress(value)`, a message to the caller's `onProgress`. Both name the unit the worker
 * is running now. The context is found through a global symbol, so a task module that imports
 * another copy of `@pool/core/worker` than the adapter's still reaches the running worker.
 * @module
 */
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

  constructor(readonly send: (message: FromWorker) => void) {
    loops++;
    (globalThis as Record<symbol, unknown>)[key] = this;
  }

  /** The worker starts unit `id`. */
  start(id: number): void {
    this.running = id;
    if (loops > 1) (globalThis as Record<symbol, unknown>)[key] = this;
  }

  /** The running call's signal, made on first use. */
  signal(): AbortSignal {
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
    if (this.running < 0) throw new Error('progress() was called outside a running task');
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

function current(what: string): TaskContext {
  const context = (globalThis as Record<symbol, TaskContext | undefined>)[key];
  if (!context) throw new Error(`${what} can only be called inside a task running in a pool worker`);
  return context;
}

/**
 * The `AbortSignal` of the call this task belongs to: it aborts when the call is cancelled
 * (`timeout`, `signal`, `terminate()` does not), so the task can stop on its own before the pool's
 * `cancelGrace` runs out and its worker is stopped. Call it before the task's first `await` in
 * `inline()`, where several tasks share one realm.
 */
export function signal(): AbortSignal {
  return current('signal()').signal();
}

/**
 * Sends `value` to the caller's `onProgress` for this call, in order with the task's other
 * progress values. Values are cloned like results. Call it synchronously from the task (before
 * any `await`) in `inline()`, where several tasks share one realm.
 */
export function progress(value: unknown): void {
  current('progress()').progress(value);
}
