/**
 * Python's `_cache`: the pool's unsettled calls. A call joins it when submitted and leaves it as
 * it settles; a call with a `timeout` or `signal` is armed here and disarmed as it leaves.
 * @module
 */
import type { Job, JobHost } from './job.js';
import { arm, type Limits } from './limits.js';

/** What the cache tells the pool. */
export interface CacheEvents {
  /** A call joined. */
  added(job: Job, first: boolean): void;
  /** A call settled and left. */
  released(job: Job, last: boolean): void;
  /** A call's `timeout` fired or its `signal` aborted: stop its work. */
  cancelled(job: Job, error: Error): void;
}

/** The unsettled calls of one pool. */
export class JobCache {
  readonly #jobs = new Set<Job>();
  /** Calls with a `timeout` or `signal`: how to disarm them once they settle. */
  readonly #disarms = new Map<Job, () => void>();
  readonly #events: CacheEvents;
  /** What jobs call when they settle: they leave the cache. */
  readonly host: JobHost = {
    release: (job) => {
      if (!this.#jobs.delete(job)) return;
      const disarm = this.#disarms.size > 0 ? this.#disarms.get(job) : undefined;
      if (disarm) {
        this.#disarms.delete(job);
        disarm();
      }
      this.#events.released(job, this.#jobs.size === 0);
    },
  };

  constructor(events: CacheEvents) {
    this.#events = events;
  }

  get size(): number {
    return this.#jobs.size;
  }

  has(job: Job): boolean {
    return this.#jobs.has(job);
  }

  /** Adds a submitted call, and arms its `timeout` and `signal`. */
  add(job: Job, limits?: Limits): void {
    this.#jobs.add(job);
    this.#events.added(job, this.#jobs.size === 1);
    if (!limits) return;
    // Disarmed when the call settles (it may have settled already).
    const disarm = arm(limits, (error) => this.#jobs.has(job) && this.#events.cancelled(job, error));
    if (this.#jobs.has(job)) this.#disarms.set(job, disarm);
  }

  /** Rejects every call with `error` and empties the cache. */
  abortAll(error: Error): void {
    for (const job of [...this.#jobs]) job.abort(error);
    this.#jobs.clear();
  }
}
