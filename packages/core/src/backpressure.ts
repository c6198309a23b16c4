/**
 * Backpressure on submission (`maxQueue`): a call that would queue past the bound is refused with
 * `QueueFullError`, and `pool.ready()` resolves when there is room, so a producer loop stays in
 * flat memory. Waiters are let in first come, first served, no more at once than there is room.
 * @module
 */
import { QueueFullError } from './errors.js';
import { Queue } from './queue.js';
import { unref } from './timers.js';

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

  /**
   * Room promised to producers that `ready()` let in and that have not submitted yet: not counted
   * as room again, or two producers would be let into one place and one of them refused. It
   * lasts until their continuations have run; a producer that never submits gives it back then.
   */
  #promised = 0;

  /** Throws `QueueFullError` if the queue is at its bound. A submission takes up a promised place. */
  admit(): void {
    if (this.queued() >= this.maxQueue) throw new QueueFullError(this.maxQueue);
    if (this.#promised > 0) this.#promised--;
  }

  /** Resolves once the queue has room; rejects if the pool stops taking work. */
  ready(): Promise<void> {
    if (this.#waiters.length === 0 && this.#room() > 0) {
      this.#promise();
      return Promise.resolve();
    }
    const promise = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    // Marked handled: a producer that stopped waiting never causes an unhandled rejection.
    promise.catch(() => {});
    return promise;
  }

  /** Units left the queue (or calls settled): let in as many waiters as there is room for. */
  room(): void {
    if (this.#waiters.length === 0) return;
    for (let room = this.#room(); room > 0 && this.#waiters.length > 0; room--) {
      this.#promise();
      this.#waiters.shift()!.resolve();
    }
  }

  #room(): number {
    return this.maxQueue - this.queued() - this.#promised;
  }

  /** Promises one place, until the producers let in have had their turn (a task later). */
  #promise(): void {
    if (this.#promised++ > 0) return;
    unref(setTimeout(() => {
      this.#promised = 0;
      this.room();
    }, 0));
  }

  /** The pool takes no more work: every waiter rejects with `error`. */
  fail(error: unknown): void {
    for (const waiter of this.#waiters.clear()) waiter.reject(error);
  }
}
