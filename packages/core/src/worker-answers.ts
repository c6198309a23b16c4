/**
 * The worker side's answers on their way to the pool: each sent on its own, or, where the pool
 * lets the worker batch them (`init.batchAnswers`), successful ones held and sent together as
 * one `values` message (`batching.ts`, point 3), never for long and never behind a slow unit.
 * @module
 */
import type { WorkerPort } from './adapter.js';
import { holdMs, largeChunk } from './batching.js';
import { MaybeEncodingError } from './errors.js';
import { dense, type PackedNumbers, packNumbers } from './segments.js';
import { describe, serializeError, type SerializedError } from './serialize-error.js';

type AnyFunction = (...args: unknown[]) => unknown;

/** Units of a short task that may start between two reads of the clock, at most. */
const maxStride = 16;

/**
 * A monotonic clock in ms on `process.hrtime()`, for the `WorkerPort.now` of a Node worker (a
 * thread or a process; Bun has it too). Node loads perf_hooks at a worker's first
 * `performance.now()`: ~2 ms and a dozen internal modules, for what this reads directly.
 */
export function hrtimeMs(): number {
  const [seconds, nanoseconds] = (globalThis as unknown as { process: { hrtime(): [number, number] } }).process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}

/** One worker's answers. */
export class Answers {
  /**
   * Whether successful answers are held and leave together; units are then timed as they start
   * (see {@link starting}): held answers may leave before a long one, and the units held behind
   * one go back to the pool. On the host's own event loop (`inline()`) the host reads nothing
   * until the drain ends, so what counts there is the giving back: a drain of long synchronous
   * units ends after the first, and the host gets its turn (a call's deadline, the next dispatch)
   * between them rather than after all it held.
   */
  batch = false;
  /** `init.packFrom`: chunks with this many values (> 0), all numbers, answer packed. */
  packFrom = 0;
  /** `init.memoryLimit` where the port can measure memory, else 0; `-1` once reported. */
  memoryLimit = 0;
  readonly #port: WorkerPort;
  /** The port's clock, else `performance.now()`. */
  readonly #now: () => number;
  /** Whether values cross by cloning (every port but `inline()`'s, which passes them by reference). */
  readonly #cloned: boolean;
  /** The first held answer's unit id; the others follow it (`values[i]` answers `#first + i`). */
  #first = 0;
  #values: unknown[] = [];
  /** Since when the first held answer has waited: its unit started then or later (ms, by the port's clock). */
  #heldSince = 0;
  /**
   * Per task: how many of its units may start between clock reads: none (0) if they run
   * {@link holdMs} or more; unknown until measured. Reading the clock costs more than a tiny
   * unit (a `performance.now()` is ~0.3 µs before it is optimized), so short units are timed
   * by the stretch, not one by one.
   */
  readonly #strides = new Map<AnyFunction, number>();
  /** The stretch being timed: its task, when it started, how many units started in it (0: none timed). */
  #fn: AnyFunction | undefined;
  #readAt = 0;
  #units = 0;
  /** Units of `#fn` that may still start before the clock is read again. */
  #countdown = 0;
  #memoryCheckedAt = -Infinity;
  /** When the unit running now went async (ms, by the port's clock), else 0. */
  #asyncSince = 0;
  /** The last long stretch's ms per unit, and when it ended: it counts for units starting right after. */
  #long = 0;
  #longAt = -Infinity;

  constructor(port: WorkerPort) {
    this.#port = port;
    this.#now = port.now?.bind(port) ?? (() => performance.now());
    this.#cloned = port.byReference !== true;
  }

  /** Sets up batching and packing as the pool's `init` asks. */
  configure(batch: boolean, packFrom: number): void {
    this.batch = batch;
    this.packFrom = packFrom;
  }

  /**
   * A unit of task `fn` starts (`batch` only). Held answers leave first if it may run long: its
   * task ran {@link holdMs} or more last time, or has not run here yet; and once they have
   * waited about `holdMs`. So they wait behind at most one unit that turns out long (a worker
   * cannot speak mid-task), or until the worker runs out of units or a unit goes async. The
   * clock is read when the task changes, else every few units (the task's stride): a stride
   * of short units lasts about a quarter of `holdMs`, which bounds how late a flush comes.
   * Returns how long each unit of the stretch that just ended took, where that is `holdMs` or
   * more (and it ended less than `holdMs` ago: the units now here were held behind it), else 0.
   */
  starting(fn: AnyFunction): number {
    if (fn === this.#fn && --this.#countdown > 0) {
      this.#units++;
      return 0;
    }
    const now = this.#now();
    if (this.#units > 0) this.#measure(now);
    // Units that came in while it ran (a busy worker reads its messages only after) waited too.
    const long = now - this.#longAt < holdMs ? this.#long : 0;
    this.#long = 0;
    const stride = this.#strides.get(fn);
    if (this.#values.length > 0 && (!stride || now - this.#heldSince >= holdMs)) this.flush();
    this.#fn = fn;
    this.#readAt = now;
    this.#units = 1;
    this.#countdown = stride || 1;
    return long;
  }

  /**
   * The worker stops running units: the queue is empty (`ran`: the stretch ran to its end now),
   * or a unit went async (its time is not its task's: the stretch is dropped).
   */
  stopped(ran: boolean): void {
    if (!ran) this.#asyncSince = this.#now();
    else if (this.#units > 0) this.#measure(this.#now());
    this.#units = 0;
    this.#countdown = 0;
  }

  /** Whether an async unit is pending (`batch` only). Not `pendingFor() > 0`: a coarse clock reads 0 for one just started. */
  get asyncPending(): boolean {
    return this.#asyncSince > 0;
  }

  /** How long the async unit has been pending so far (see {@link asyncPending}). */
  pendingFor(): number {
    return this.#now() - this.#asyncSince;
  }

  /** The async unit has settled: how long it took, where that is {@link holdMs} or more, else 0. */
  resumed(): number {
    const took = this.asyncPending ? this.pendingFor() : 0;
    this.#asyncSince = 0;
    return took >= holdMs ? took : 0;
  }

  /**
   * Times the stretch just ended: its task's units ran back to back, so each took the average.
   * Where that is {@link holdMs} or more, the units held behind it waited: {@link starting} says so.
   */
  #measure(now: number): void {
    const average = (now - this.#readAt) / this.#units;
    const long = average >= holdMs;
    this.#strides.set(this.#fn!, long ? 0 : Math.min(maxStride, Math.max(1, Math.floor(holdMs / (4 * average)))));
    if (long) {
      this.#long = average;
      this.#longAt = now;
    }
  }

  /**
   * Chunk `id` succeeded with the values in `parts` (its one part, or its segments): numbers
   * only go packed, and a long chunk's others in segments, at once and alone (`segments.ts`).
   * A packed buffer is moved, not copied, where the channel can: a copy would stay behind in
   * this worker until its next collection (Deno's W6 peak RSS, ~2 MB).
   * A large chunk's values leave at once too: its message costs nothing next to them, and an
   * `imap`'s read-ahead is refilled only as answers come. A small chunk's are held as any answer.
   * Values that are not packed cross as dense arrays (`dense`).
   */
  succeedChunk(id: number, parts: unknown[][], segmented: boolean): void {
    const packed = packNumbers(parts, this.packFrom);
    if (packed) {
      this.succeedPacked(id, packed);
      return;
    }
    if (this.#cloned) for (let s = 0; s < parts.length; s++) parts[s] = dense(parts[s]!);
    if (segmented || parts[0]!.length >= largeChunk) {
      this.flush();
      this.#sendValue(id, segmented ? parts : parts[0], segmented);
    } else {
      this.succeed(id, parts[0]);
    }
  }

  /** Chunk `id` succeeded with its values packed: sent at once, the buffer moved where it can be. */
  succeedPacked(id: number, packed: PackedNumbers): void {
    this.flush();
    this.#sendValue(id, [packed], true, [packed.buffer as ArrayBuffer]);
  }

  /** Unit `id` succeeded with `value`: held, or sent now. */
  succeed(id: number, value: unknown): void {
    if (!this.batch) {
      this.#sendValue(id, value);
      return;
    }
    const held = this.#values.length;
    // Only consecutive units share a message, so it names them by the first id.
    if (held > 0 && id !== this.#first + held) this.flush();
    if (this.#values.length === 0) {
      this.#first = id;
      this.#heldSince = this.#readAt;
    }
    this.#values.push(value);
  }

  /** Sends the held answers as one message. */
  flush(): void {
    const values = this.#values;
    const first = this.#first;
    if (values.length === 0) return;
    if (this.memoryLimit > 0) this.#checkMemory();
    this.#values = [];
    try {
      this.#port.send(values.length === 1 ? { type: 'ok', id: first, value: values[0] } : { type: 'values', id: first, values });
    } catch {
      // One value cannot be sent: answer one by one, so that it alone fails.
      for (let i = 0; i < values.length; i++) this.#sendValue(first + i, values[i]);
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
    return this.#cloned ? serializeError(thrown) : { kind: 'raw', value: thrown };
  }

  #sendValue(id: number, value: unknown, segmented = false, transfer?: ArrayBuffer[]): void {
    if (this.memoryLimit > 0) this.#checkMemory();
    try {
      this.#port.send(segmented ? { type: 'ok', id, value, segmented } : { type: 'ok', id, value }, transfer);
    } catch (reason) {
      const error = new MaybeEncodingError(describe(segmented ? (value as unknown[][]).flat() : value), reason instanceof Error ? reason.message : describe(reason));
      this.#port.send({ type: 'error', id, error: this.serialize(error) });
    }
  }

  /**
   * Before an answer leaves: over the memory limit, ask (once) to be retired, so the pool starts
   * the replacement before it sees the answer. Measuring costs microseconds: at most once a ms.
   * Over the limit, the port collects garbage first where it can and the reading is taken again:
   * a collection costs milliseconds, but only once per limit's worth of garbage.
   */
  #checkMemory(): void {
    const now = this.#now();
    if (now - this.#memoryCheckedAt < 1) return;
    this.#memoryCheckedAt = now;
    const port = this.#port;
    let bytes = port.memory!();
    if (bytes <= this.memoryLimit) return;
    if (port.collectGarbage) {
      port.collectGarbage();
      bytes = port.memory!();
      if (bytes <= this.memoryLimit) return;
    }
    this.memoryLimit = -1;
    this.#port.send({ type: 'memory', bytes });
  }
}
