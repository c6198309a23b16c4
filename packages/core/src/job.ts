/**
 * What the pool keeps for each submitted call until it settles (Python's `_cache`), and the
 * units of work it queues for workers on the call's behalf.
 * @module
 */
import type { TaskKind, TaskRef } from './protocol.js';
import type { PackedNumbers } from './segments.js';

/** @internal The key of a job's place in its pool's cache (a symbol: users see none of it). */
export const cacheIndex: unique symbol = Symbol('cacheIndex');

/** @internal The key of a timed job's {@link Deadline}, set by the pool's cache. */
export const deadlineOf: unique symbol = Symbol('deadline');

/** @internal When a call's `timeout` runs out (`performance.now()` ms), and what times it out then. */
export interface Deadline {
  readonly at: number;
  expire(): void;
}

/** A submitted call: one `apply`, one `map`, one `imap`. Lives in the pool's cache until settled. */
export interface Job {
  /** Whether the call has settled (or been given up): its remaining units have nobody waiting. */
  readonly settled: boolean;
  /** @internal Its place in the pool's cache of unsettled calls (`cache.ts`), or -1 when not in it. */
  [cacheIndex]: number;
  /** @internal Its `timeout`'s deadline, for a timed call in the cache. */
  [deadlineOf]?: Deadline | undefined;
  /**
   * One of the job's task units came back. `done` holds a failed chunk's values before the error.
   * From core's channel executor, a chunk's values may come as `Segments` (`segments.ts`): in segments, or packed.
   */
  accept(index: number, ok: boolean, value: unknown, done?: readonly unknown[]): void;
  /**
   * Whether `accept` uses a failed chunk's `done` (an `imap` yields those values before it
   * throws); a `map` fails whole. An executor that must ask for them specially asks only then.
   */
  readonly valuesBeforeError?: boolean;
  /** The pool gives up on the job (terminate, broken pool, cancellation): settle with `error`. */
  abort(error: unknown): void;
}

/** The pool side of a job: told once when the job has settled, so it leaves the cache. */
export interface JobHost {
  release(job: Job): void;
  /**
   * The job has nothing running and reads nothing: it waits for its consumer alone (an `imap`
   * read ahead), which must not keep the process alive; `false` once it has work again.
   */
  waiting(job: Job, waiting: boolean): void;
}

/** What every task unit of one call shares: how to run it, and how often to retry it. */
export interface Call {
  readonly kind: TaskKind;
  readonly task: TaskRef;
  readonly transfer: readonly unknown[] | undefined;
  /** Re-runs allowed for a unit whose worker died. */
  readonly retries: number;
  /** The call's `onProgress`, fed by `progress(value)` inside its tasks. */
  readonly onProgress?: ((value: unknown) => void) | undefined;
}

/** One message's worth of work for one worker: a call, or one chunk of a map. */
export class TaskUnit {
  /** Re-runs still allowed if this unit's worker dies under it. */
  retriesLeft: number;
  /** Its id on the wire, given by the executor that sends it (unique among what it has in flight). */
  id = 0;
  /** When it was queued, in `performance.now()` milliseconds, where the pool records timings (else 0). */
  queuedAt = 0;
  /** Held by a worker that died when the pool could not tell which unit it ran: runs alone (`isolation.ts`). */
  suspect = false;

  constructor(
    readonly job: Job,
    readonly index: number,
    readonly call: Call,
    /**
     * The call's arguments, or a chunk's items: packed (`segments.ts`) for a map chunk of
     * numbers where the executor takes them so (`Executor.packFrom`); else an array.
     */
    readonly args: readonly unknown[] | PackedNumbers,
  ) {
    this.retriesLeft = call.retries;
  }

  /** Whether somebody still waits for this unit's answer. */
  get pending(): boolean {
    return !this.job.settled;
  }

  /**
   * Answers the unit: its value (a list of values for a chunk), or its error (with, for a chunk,
   * the values before the failing item). Returns `false`, doing nothing, if its job has settled;
   * past the job's deadline, its job times out instead.
   */
  settle(ok: boolean, value: unknown, done?: readonly unknown[]): boolean {
    if (this.job.settled) return false;
    // Past the call's deadline, its timer may not have had a turn (a host kept busy in microtasks,
    // as by inline()'s synchronous tasks): a late answer times the call out instead.
    const deadline = this.job[deadlineOf];
    if (deadline !== undefined && performance.now() >= deadline.at) {
      deadline.expire();
      return false;
    }
    this.job.accept(this.index, ok, value, done);
    return true;
  }

  /**
   * Hands a value the task sent with `progress(value)` to the call's `onProgress`, unless the
   * call has settled. An `onProgress` that throws harms neither the call nor the pool.
   */
  progress(value: unknown): void {
    const onProgress = this.call.onProgress;
    if (!onProgress || this.job.settled) return;
    try {
      onProgress(value);
    } catch {
      // The caller's bug; the call goes on.
    }
  }
}
