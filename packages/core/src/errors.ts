/**
 * Every error the pool itself raises. Each has its own `name` and a stable `code`, so callers
 * can branch on `instanceof`, on `name` after a trip through a structured clone, or on `code`.
 * @module
 */

/** Base class of the pool's own errors (never of a task's errors, which cross unchanged). */
export class PoolError extends Error {
  /** A stable, machine-readable identifier, e.g. `'ERR_POOL_TERMINATED'`. */
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The task's result could not be sent back from the worker (it is not structured-cloneable). */
export class MaybeEncodingError extends PoolError {
  /** A short description of the value that failed to cross. */
  readonly value: string;
  /** Why it failed, as the runtime said. */
  readonly reason: string;

  constructor(value: string, reason: string) {
    super(`Error sending result: '${value}'. Reason: '${reason}'`, 'ERR_POOL_ENCODING');
    this.value = value;
    this.reason = reason;
  }
}

/** The worker died while it ran the task. The pool has already started a replacement. */
export class WorkerExitError extends PoolError {
  /** The worker's exit code, when the runtime reports one. */
  readonly exitCode: number | null;
  /** The signal that killed the worker (process adapters), else `null`. */
  readonly signal: string | null;

  constructor(exitCode: number | null, signal: string | null, options?: { cause?: unknown }) {
    const how = signal ? `signal ${signal}` : `exit code ${exitCode ?? 'unknown'}`;
    // The runtime's own reason (out of memory, an uncaught error) is what a user needs first.
    const cause = options?.cause;
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    super(`Worker exited while running the task (${how})${reason}`, 'ERR_POOL_WORKER_EXIT', options);
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

/** The module or the initializer failed; the pool takes no more work. `cause` holds why. */
export class BrokenPoolError extends PoolError {

  constructor(message = 'Pool is broken: a worker failed to start', options?: { cause?: unknown }) {
    super(message, 'ERR_POOL_BROKEN', options);
  }
}

/** `terminate()` was called before the task finished. */
export class TerminatedError extends PoolError {

  constructor(message = 'Pool was terminated before the task finished') {
    super(message, 'ERR_POOL_TERMINATED');
  }
}

/** The pool is not in a state that allows the call (`Pool not running`, `join()` too early). */
export class PoolStateError extends PoolError {

  constructor(message = 'Pool not running') {
    super(message, 'ERR_POOL_STATE');
  }
}

/** A wait ran out: `AsyncResult.get(ms)`, or a per-call `timeout`. */
export class TimeoutError extends PoolError {

  constructor(message = 'Timed out') {
    super(message, 'ERR_POOL_TIMEOUT');
  }
}

/** The task name is not an own export of the module, or that export is not a function. */
export class TaskNotFoundError extends PoolError {
  /** The name that was asked for. */
  readonly task: string;

  constructor(task: string, detail = 'is not an exported function of the task module') {
    super(`Task '${task}' ${detail}`, 'ERR_POOL_TASK_NOT_FOUND');
    this.task = task;
  }
}

/** A value passed to the pool (an argument, a result) cannot be structured-cloned. */
export class DataCloneError extends PoolError {

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_POOL_DATA_CLONE', options);
  }
}

/** The call was cancelled through its `signal`; `cause` is the signal's `reason`. */
export class AbortError extends PoolError {

  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, 'ERR_POOL_ABORTED', options);
  }
}

/**
 * The pool's queue holds `maxQueue` units already: the call was refused, nothing was queued.
 * Shed the load (e.g. answer 503), or `await pool.ready()` and submit again.
 */
export class QueueFullError extends PoolError {
  /** The pool's `maxQueue`. */
  readonly maxQueue: number;

  constructor(maxQueue: number) {
    super(`The pool's queue is full (maxQueue ${maxQueue}): await pool.ready() before submitting more`, 'ERR_POOL_QUEUE_FULL');
    this.maxQueue = maxQueue;
  }
}

// On the prototype, not the instance: `name` is then no own property to carry, and `stack`
// headers read right.
const names: Array<[{ prototype: Error }, string]> = [
  [PoolError, 'PoolError'], [MaybeEncodingError, 'MaybeEncodingError'],
  [WorkerExitError, 'WorkerExitError'], [BrokenPoolError, 'BrokenPoolError'],
  [TerminatedError, 'TerminatedError'], [PoolStateError, 'PoolStateError'],
  [TimeoutError, 'TimeoutError'], [TaskNotFoundError, 'TaskNotFoundError'],
  [DataCloneError, 'DataCloneError'], [AbortError, 'AbortError'], [QueueFullError, 'QueueFullError'],
];
for (const [cls, name] of names) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}
