/**
 * The seam between the pool and whatever runs its task units. `Pool` keeps the state machine,
 * the job cache and the results; an executor keeps the queue and the workers, wherever they are.
 * Channel adapters get core's own executor (`Workers`, one private channel per spawned worker);
 * a queue adapter (`QueueAdapter.open`) brings its own, e.g. a shared queue that remote hosts
 * pull from. This mirrors CPython, whose `ThreadPool` swaps only `Process` and `_setup_queues`.
 * @module
 */
import type { Supports } from './adapter.js';
import type { Job, TaskUnit } from './job.js';
import type { PoolMetrics, WorkerExitRecord } from './metrics.js';
import type { TaskRef } from './protocol.js';

/** What the pool hands an executor when it opens: how every worker is to be set up. */
export interface PoolInit {
  /** {@link protocolVersion} of the pool's side; a worker speaking another one must refuse to run. */
  readonly protocol: number;
  /** The task module as an absolute URL string (as the user gave it where the adapter has no file paths), or `null`. */
  readonly module: string | null;
  /** Run once in each worker before its first task, with `initargs`. */
  readonly initializer: TaskRef | null;
  readonly initargs: readonly unknown[];
  /** Workers to keep (channel executors), or units in flight (queue executors). */
  readonly processes: number;
  /** Retire and replace a worker after this many units, where workers can be retired. */
  readonly maxTasksPerChild: number | undefined;
  /**
   * Dynamic size (`supports.dynamicSize`): keep at least `min` workers, start more on demand up
   * to `processes`, and retire one idle for `idleTimeout` ms while more than `min` live. Absent:
   * a fixed size of `processes`.
   */
  readonly sizing?: { readonly min: number; readonly idleTimeout: number } | undefined;
  /** Retire a worker whose memory after a unit is over this many bytes (`supports.memoryLimit`). */
  readonly maxMemoryPerChild?: number | undefined;
  /** Retire a worker this many ms after it started, once it is free; its replacement starts first. */
  readonly maxLifetime?: number | undefined;
  /**
   * Ms a cancelled call's running task has to stop on its own (its `signal()` aborts) before its
   * worker is stopped (`supports.cooperativeCancel`). 0 or absent: stopped at once.
   */
  readonly cancelGrace?: number | undefined;
  /** Record each unit's wait and run times for `metrics()` (stamp `unit.queuedAt` on enqueue). */
  readonly timings?: boolean | undefined;
  /** Ms a worker has to become ready before the pool breaks (channel executors). Absent: no limit. */
  readonly startTimeout?: number | undefined;
}

/** A worker's lifecycle, for the pool's `workerstart` / `workerready` / `workerexit` events. */
export type WorkerLifecycle =
  | { readonly type: 'started' | 'ready'; readonly worker: number }
  | { readonly type: 'exited'; readonly worker: number; readonly exit: WorkerExitRecord };

/** What an executor reports upwards. Events only: it never asks the pool anything. */
export interface ExecutorHost {
  /**
   * The pool cannot work: the module or the initializer failed, or workers cannot be started.
   * The pool becomes `'BROKEN'`, fails every call with `BrokenPoolError` (with `cause`, and
   * `message` as the text a user reads first, naming the root cause), then calls `clear()` and
   * `stop()`.
   */
  broken(cause: unknown, message?: string): void;
  /** Optional: a worker started, became ready, or left. */
  worker?(event: WorkerLifecycle): void;
  /** Whether the pool wants `started` calls now (someone listens for `callstart`); read per dispatch. */
  readonly wantsStarts?: boolean;
  /** Optional: a unit was handed to a worker. Call only while `wantsStarts`. */
  started?(unit: TaskUnit): void;
  /** Whether the pool wants `dequeued` calls now (someone awaits `pool.ready()`). */
  readonly wantsRoom?: boolean;
  /** Optional: units left the queue; call only while `wantsRoom`. */
  dequeued?(): void;
}

/** The figures behind `pool.stats()`. */
export interface ExecutorCounts {
  /** Live workers (starting, idle or busy); for a queue, what it can tell of its hosts. */
  workers: number;
  /** Workers still loading the module and running the initializer. */
  starting: number;
  /** Workers running a unit now. */
  busy: number;
  /** Units not started yet: in the queue, or held by a worker ahead of the one it runs. */
  queued: number;
  /** Units that succeeded: calls, and map chunks (a chunk of 100 items counts as one). */
  completed: number;
  /** Units that failed (the task threw, its worker died, its value could not cross); a chunk counts as one. */
  failed: number;
}

/**
 * Runs the pool's task units. Every unit handed to `enqueue` must be answered exactly once
 * through {@link TaskUnit.settle} (its value, its error, or `WorkerExitError` when its worker
 * died and no retry is left), unless `withdraw`, `cancel` or `clear` took it back first.
 * Answers may come in any order. A unit whose job has settled (`unit.pending` is `false`) may be
 * dropped without an answer.
 */
export interface Executor {
  /** Queues a unit. Must not throw: a unit that cannot be sent fails alone, through `settle`. */
  enqueue(unit: TaskUnit): void;
  /** Drops the job's queued units; units already running finish unseen. */
  withdraw(job: Job): void;
  /**
   * Stops the job's work: drops its queued units and stops what runs them (a worker that cannot
   * be recalled is killed and replaced). The pool rejects the job itself.
   */
  cancel(job: Job): void;
  /** Forgets every queued and running unit: the pool is failing every call. */
  clear(): void;
  /** The pool is closed and nothing is pending: workers leave once idle, and are not replaced. */
  close(): void;
  /** Stops every worker now. Resolves once all are gone. */
  stop(): Promise<void>;
  /** Resolves once every worker has left (after `close()` or `stop()`). */
  exited(): Promise<void>;
  /** Whether the executor may hold the host process open (there is work, or someone waits). */
  reference(wanted: boolean): void;
  /** A snapshot for `pool.stats()`. */
  counts(): ExecutorCounts;
  /** Optional: units waiting, cheaply (`maxQueue` reads it per submission); else `counts().queued`. */
  queued?(): number;
  /** Optional: figures for `pool.metrics()`. */
  metrics?(): PoolMetrics;
  /**
   * Optional: from how many numbers a map chunk's items may reach `enqueue` packed in a typed
   * array (`PackedNumbers`), as its workers pack answers. Absent: units always carry arrays.
   */
  readonly packFrom?: number;
}

/**
 * An adapter that brings its own executor instead of spawning workers one channel each: the
 * form of a shared queue (BullMQ), whose remote hosts pull units, answer out of order and die
 * without an exit event.
 */
export interface QueueAdapter {
  /** A short name for messages and stats, e.g. `'bullmq'`. */
  readonly name: string;
  /** What this adapter's workers can do. */
  readonly supports: Supports;
  /** Default `processes`: units in flight for this client. */
  defaultProcesses(): number;
  /** The current working directory, to resolve a relative module path; absent where there is none. */
  cwd?(): string;
  /**
   * Where `supports.filePaths` is `false`: the URL a relative `module` string resolves against
   * (a browser page's base URL). Without it, the string is handed to the workers as given.
   */
  baseUrl?(): string;
  /**
   * Opens the executor for one pool. Throws for what makes the pool unusable at once (bad
   * options); later failures are reported through `host.broken`.
   */
  open(init: PoolInit, host: ExecutorHost): Executor;
}
