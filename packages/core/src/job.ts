/**
 * What the pool keeps for each submitted call until it settles (Python's `_cache`), and the
 * units of work it queues for workers on the call's behalf.
 * @module
 */
import type { TaskKind, TaskRef } from './protocol.js';

/** A submitted call: one `apply`, one `map`, one `imap`. Lives in the pool's cache until settled. */
export interface Job {
  /** One of the job's task units came back. `done` holds a failed chunk's values before the error. */
  accept(index: number, ok: boolean, value: unknown, done?: readonly unknown[]): void;
  /** The pool gives up on the job (terminate, broken pool, cancellation): settle with `error`. */
  abort(error: unknown): void;
}

/** The pool side of a job: told once when the job has settled, so it leaves the cache. */
export interface JobHost {
  release(job: Job): void;
}

/** What every task unit of one call shares: how to run it, and how often to retry it. */
export interface Call {
  readonly kind: TaskKind;
  readonly task: TaskRef;
  readonly transfer: readonly unknown[] | undefined;
  /** Re-runs allowed for a unit whose worker died. */
  readonly retries: number;
}

/** One message's worth of work for one worker: a call, or one chunk of a map. */
export class TaskUnit {
  /** Re-runs still allowed if this unit's worker dies under it. */
  retriesLeft: number;
  /** Its position in the stream of units sent to its current worker, as the worker counts them. */
  seq = 0;
  /** When it was sent, in `performance.now()` milliseconds: to pace the worker. */
  sentAt = 0;

  constructor(
    readonly job: Job,
    readonly index: number,
    readonly call: Call,
    readonly args: readonly unknown[],
  ) {
    this.retriesLeft = call.retries;
  }
}
