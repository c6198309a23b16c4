/**
 * The worker side's answers on their way to the pool: each sent on its own, or, where the pool
 * lets the worker batch them (`init.batchAnswers`), successful ones held and sent together as
 * one `values` message (`batching.ts`, point 3), never for long and never behind a slow unit.
 * @module
 */
import type { WorkerPort } from './adapter.js';
import { holdMs } from './batching.js';
import { MaybeEncodingError } from './errors.js';
import { describe, serializeError, type SerializedError } from './serialize-error.js';

type AnyFunction = (...args: unknown[]) => unknown;

/** One worker's answers. */
export class Answers {
  /** Whether successful answers are held and leave together. */
  batch = false;
  /**
   * Whether held answers may leave before a unit (see {@link starting}): where the worker runs
   * on a thread of its own. A worker on the host's own event loop (`inline()`) holds them for the
   * whole drain, during which the host could not read them anyway.
   */
  paced = false;
  /** `init.memoryLimit` where the port can measure memory, else 0; `-1` once reported. */
  memoryLimit = 0;
  readonly #port: WorkerPort;
  #ids: number[] = [];
  #values: unknown[] = [];
  /** When the first held answer's unit started, and when the running unit started (`performance.now()` ms). */
  #heldSince = 0;
  #startedAt = 0;
  /** How long each task's last synchronous unit ran, in ms. */
  readonly #lastMs = new Map<AnyFunction, number>();
  #memoryCheckedAt = -Infinity;

  constructor(port: WorkerPort) {
    this.#port = port;
  }

  /** Sets up batching as the pool's `init` asks. */
  configure(batch: boolean): void {
    this.batch = batch;
    this.paced = batch && this.#port.byReference !== true;
  }

  /**
   * A unit of task `fn` starts (`paced` only). Held answers leave first if it may run long: its
   * task ran {@link holdMs} or more last time, or has not run here yet; and once they have
   * waited `holdMs`. So they wait behind at most one unit that turns out long (a worker cannot
   * speak mid-task), or until the worker runs out of units or a unit goes async.
   */
  starting(fn: AnyFunction): void {
    const now = performance.now();
    this.#startedAt = now;
    if (this.#ids.length === 0) return;
    const last = this.#lastMs.get(fn);
    if (last === undefined || last >= holdMs || now - this.#heldSince >= holdMs) this.flush();
  }

  /** The unit started last has finished synchronously (`paced` only). */
  finished(fn: AnyFunction): void {
    this.#lastMs.set(fn, performance.now() - this.#startedAt);
  }

  /** Unit `id` succeeded with `value`: held, or sent now. */
  succeed(id: number, value: unknown): void {
    if (!this.batch) {
      this.#sendValue(id, value);
      return;
    }
    if (this.#ids.length === 0) this.#heldSince = this.#startedAt;
    this.#ids.push(id);
    this.#values.push(value);
  }

  /** Sends the held answers as one message. */
  flush(): void {
    const ids = this.#ids;
    const values = this.#values;
    if (ids.length === 0) return;
    if (this.memoryLimit > 0) this.#checkMemory();
    this.#ids = [];
    this.#values = [];
    try {
      this.#port.send(ids.length === 1 ? { type: 'ok', id: ids[0]!, value: values[0] } : { type: 'values', ids, values });
    } catch {
      // One value cannot be sent: answer one by one, so that it alone fails.
      for (let i = 0; i < ids.length; i++) this.#sendValue(ids[i]!, values[i]);
    }
  }

  /** Unit `id` failed; for a chunk, `done` holds the values before the failing item. Held answers go first. */
  fail(id: number, thrown: unknown, done?: unknown[]): void {
    this.flush();
    if (this.memoryLimit > 0) this.#checkMemory();
    const error = this.serialize(thrown);
    try {
      this.#port.send(done && done.length > 0 ? { type: 'error', id, error, done } : { type: 'error', id, error });
    } catch {
      this.#port.send({ type: 'error', id, error });
    }
  }

  /** An error as it crosses: as it is where values pass by reference, else serialized. */
  serialize(thrown: unknown): SerializedError {
    return this.#port.byReference ? { kind: 'raw', value: thrown } : serializeError(thrown);
  }

  #sendValue(id: number, value: unknown): void {
    if (this.memoryLimit > 0) this.#checkMemory();
    try {
      this.#port.send({ type: 'ok', id, value });
    } catch (reason) {
      const error = new MaybeEncodingError(describe(value), reason instanceof Error ? reason.message : describe(reason));
      this.#port.send({ type: 'error', id, error: this.serialize(error) });
    }
  }

  /**
   * Before an answer leaves: over the memory limit, ask (once) to be retired, so the pool starts
   * the replacement before it sees the answer. Measuring costs microseconds: at most once a ms.
   */
  #checkMemory(): void {
    const now = performance.now();
    if (now - this.#memoryCheckedAt < 1) return;
    this.#memoryCheckedAt = now;
    const bytes = this.#port.memory!();
    if (bytes <= this.memoryLimit) return;
    this.memoryLimit = -1;
    this.#port.send({ type: 'memory', bytes });
  }
}
