/**
 * Backpressure on submission (`maxQueue`): a call that would queue past the bound is refused with
 * `QueueFullError`, and `pool.ready()` resolves when there is room, so a producer loop stays in
 * flat memory. Waiters are let in first come, first served, no more at once than there is room.
 * @module
 */
import { QueueFullError } from './errors.js';
import { Queue } from './queue.js';

type Waiter = { resolve(): void; reject(error: unknown): void };

/** The pool's admission control. */
export class Admission {
  /** A queue, not an array: thousands of producers may wait, and each unit that leaves lets in one. */
  readonly #waiters = new Queue<Waiter>();

  constructor(
    /** The bound on queued units. */
    readonly maxQueue: number,
    /** Units queued now (not yet handed to a worker). */
    readonly queued: () => number,
  ) {}

  /** Whether somebody awaits room: the executor then reports units leaving its queue. */
  get wanted(): boolean {
    return this.#waiters.length > 0;
  }

  /** Throws `QueueFullError` if the queue is at its bound. */
  admit(): void {
    if (this.queued() >= this.maxQueue) throw new QueueFullError(this.maxQueue);
  }

  /** Resolves once the queue has room; rejects if the pool stops taking work. */
  ready(): Promise<void> {
    if (this.#waiters.length === 0 && this.queued() < this.maxQueue) return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    // Marked handled: a producer that stopped waiting never causes an unhandled rejection.
    promise.catch(() => {});
    return promise;
  }

  /** Units left the queue (or calls settled): let in as many waiters as there is room for. */
  room(): void {
    if (this.#waiters.length === 0) return;
    for (let room = this.maxQueue - this.queued(); room > 0 && this.#waiters.length > 0; room--) this.#waiters.shift()!.resolve();
  }

  /** The pool takes no more work: every waiter rejects with `error`. */
  fail(error: unknown): void {
    for (const waiter of this.#waiters.clear()) waiter.reject(error);
  }
}
