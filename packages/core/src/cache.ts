/**
 * Python's `_cache`: the pool's unsettled calls. A call joins it when submitted and leaves it as
 * it settles; a call with a `timeout` or `signal` is armed here and disarmed as it leaves.
 * @module
 */
import { cacheIndex, deadlineOf, type Job, type JobHost } from './job.js';
import { arm, type Limits, timedOut } from './limits.js';

/** What the cache tells the pool. */
export interface CacheEvents {
  /** A call joined. */
  added(job: Job): void;
  /** A call settled and left; `last` if the cache is now empty. */
  released(job: Job, last: boolean): void;
  /**
   * Whether any call has work: `true` with the first, `false` once every call left or only waits
   * for its consumer (see {@link JobHost.waiting}). What keeps the process alive follows it.
   */
  busy(busy: boolean): void;
  /** A call's `timeout` fired or its `signal` aborted: stop its work. */
  cancelled(job: Job, error: Error): void;
}

/**
 * The unsettled calls of one pool. They are an array, each job knowing its index, so that a call
 * joins and leaves in O(1) without hashing: a burst of tiny calls put ~14% of `inline()`'s W1
 * time into growing and shrinking a Set of 20,000.
 */
export class JobCache {
  readonly #jobs: Job[] = [];
  /** Calls with a `timeout` or `signal`: how to disarm them once they settle. */
  readonly #disarms = new Map<Job, () => void>();
  readonly #events: CacheEvents;
  /** Calls that only wait for their consumer (`JobHost.waiting`): the pool is busy while others are here. */
  readonly #waiting = new Set<Job>();
  /** What jobs call when they settle: they leave the cache. */
  readonly host: JobHost = {
    release: (job) => {
      if (!this.#remove(job)) return;
      const disarm = this.#disarms.size > 0 ? this.#disarms.get(job) : undefined;
      if (disarm) {
        this.#disarms.delete(job);
        try {
          disarm();
        } catch {
          // A signal-like object whose removeEventListener throws: nothing of ours to undo.
        }
      }
      // A job that left with work (not one waiting for its consumer) may have been the last.
      const hadWork = this.#waiting.size === 0 || !this.#waiting.delete(job);
      if (hadWork && !this.busy) this.#events.busy(false);
      this.#events.released(job, this.#jobs.length === 0);
    },
    waiting: (job, waiting) => {
      if (!this.has(job)) return;
      const before = this.busy;
      if (waiting) this.#waiting.add(job);
      else this.#waiting.delete(job);
      if (this.busy !== before) this.#events.busy(!before);
    },
  };

  constructor(events: CacheEvents) {
    this.#events = events;
  }

  get size(): number {
    return this.#jobs.length;
  }

  /** Whether any call has work (see {@link CacheEvents.busy}). */
  get busy(): boolean {
    return this.#jobs.length > this.#waiting.size;
  }

  has(job: Job): boolean {
    return job[cacheIndex] >= 0 && this.#jobs[job[cacheIndex]] === job;
  }

  /** Adds a submitted call, and arms its `timeout` and `signal`. */
  add(job: Job, limits?: Limits): void {
    job[cacheIndex] = this.#jobs.length;
    this.#jobs.push(job);
    if (this.#jobs.length === this.#waiting.size + 1) this.#events.busy(true);
    this.#events.added(job);
    if (!limits) return;
    const cancel = (error: Error): void => {
      if (this.has(job)) this.#events.cancelled(job, error);
    };
    // Disarmed when the call settles (it may have settled already).
    let disarm: () => void;
    try {
      disarm = arm(limits, cancel);
    } catch (error) {
      // A signal-like object that throws when read or watched: this call is refused, and leaves.
      this.host.release(job);
      throw new TypeError(`Expected 'signal' to be an AbortSignal: watching it threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (!this.has(job)) return;
    this.#disarms.set(job, disarm);
    const { timeout } = limits;
    if (timeout !== undefined) job[deadlineOf] = { at: performance.now() + timeout, expire: () => cancel(timedOut(timeout)) };
  }

  /** Rejects every call with `error` and empties the cache. */
  abortAll(error: Error): void {
    // Each leaves through `release` as it settles (disarmed, reported), as any settling call does.
    for (const job of [...this.#jobs]) job.abort(error);
    const busy = this.busy;
    for (const job of this.#jobs.splice(0)) job[cacheIndex] = -1;
    this.#waiting.clear();
    if (busy) this.#events.busy(false);
  }

  /** Takes `job` out: the last job fills its place. `false` if it was not in the cache. */
  #remove(job: Job): boolean {
    if (!this.has(job)) return false;
    const last = this.#jobs.pop()!;
    if (last !== job) {
      this.#jobs[job[cacheIndex]] = last;
      last[cacheIndex] = job[cacheIndex];
    }
    job[cacheIndex] = -1;
    return true;
  }
}
