/**
 * The queue of task units waiting to be sent, from which calls are withdrawn in bulk. A pass over
 * the queue per withdrawn call made mass cancellation quadratic: 20,000 queued calls on one
 * aborted signal, or their timeouts running out together as under overload, held the event loop
 * 1–6 s. So a withdrawn call's units leave in one sweep for every call withdrawn meanwhile.
 * @module
 */
import type { Job, TaskUnit } from './job.js';
import { Queue } from './queue.js';
import { unref } from './timers.js';

/** Task units in order, with calls withdrawn in one sweep. */
export class UnitQueue extends Queue<TaskUnit> {
  readonly #withdrawn = new Set<Job>();

  /**
   * Takes `job`'s queued units out at the next {@link UnitQueue.sweep}: soon, in a task of its
   * own (timeouts running out together fire one task each, with microtasks between them).
   * Until then, they are still counted in `length`; whoever sends from the queue skips units
   * whose call has settled.
   */
  withdraw(job: Job): void {
    if (this.length === 0) return;
    if (this.#withdrawn.size === 0) unref(setTimeout(() => this.sweep(), 0));
    this.#withdrawn.add(job);
  }

  /** Removes the units of withdrawn calls in one pass. Call it before reading `length` for others. */
  sweep(): void {
    const withdrawn = this.#withdrawn;
    if (withdrawn.size === 0) return;
    // By call, not only by `pending`: a sweep may come before a withdrawn call has settled.
    this.remove((unit) => withdrawn.has(unit.job) || !unit.pending);
    withdrawn.clear();
  }
}
