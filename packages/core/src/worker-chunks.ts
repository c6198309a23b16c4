/**
 * How a worker runs a map's or starmap's chunk: its items one after another, into an array of
 * values, or, for a long chunk of numbers that came packed, straight into a packed answer.
 * @module
 */
import { isInt32, isLong, isPacked, type PackedNumbers, valuesBefore, widened } from './segments.js';
import type { Answers } from './worker-answers.js';

type AnyFunction = (...args: unknown[]) => unknown;

/** One worker's way with chunks; `next` carries the worker on once an async chunk has answered. */
export class ChunkRunner {
  readonly #answers: Answers;
  readonly #next: () => void;

  constructor(answers: Answers, next: () => void) {
    this.#answers = answers;
    this.#next = next;
  }

  /**
   * Runs chunk `id` of `fn` over `args` (its items, packed or not, or its segments); `true` if
   * it finished synchronously, else it calls `next` once answered.
   */
  run(id: number, fn: AnyFunction, args: unknown, star: boolean, segmented: boolean): boolean {
    if (!star && isPacked(args) && isLong(args.length) && this.#answers.packFrom > 0) return this.#packed(id, fn, args);
    return this.#chunk(id, fn, segmented ? (args as unknown[][]) : [args as ArrayLike<unknown>], star, segmented);
  }

  /**
   * A chunk: items one after another, in its parts (the chunk, packed or not, or its segments); an async item
   * continues the chunk when it settles. Values go into arrays made at each part's length: grown
   * by `push`, a 125,000-item chunk allocated three times its size on the way.
   */
  #chunk(id: number, fn: AnyFunction, parts: readonly ArrayLike<unknown>[], star: boolean, segmented: boolean, s = 0, i = 0, out: unknown[][] = [], async = false): boolean {
    for (; s < parts.length; s++, i = 0) {
      const items = parts[s]!;
      out[s] ??= resultArray(items.length);
      const values = out[s]!;
      for (; i < items.length; i++) {
        let value: unknown;
        try {
          value = star ? fn(...(items[i] as unknown[])) : fn(items[i]);
        } catch (error) {
          this.#answers.fail(id, error, valuesBefore(out, s, i));
          if (async) this.#next();
          return !async;
        }
        if (isThenable(value)) return this.#awaitItem(value, id, fn, parts, star, segmented, s, i, out);
        values[i] = value;
      }
    }
    this.#answers.succeedChunk(id, out, segmented);
    if (async) this.#next();
    return !async;
  }

  /** Item `i` of part `s` gave a promise: the chunk goes on from the next item once it settles. */
  #awaitItem(value: PromiseLike<unknown>, id: number, fn: AnyFunction, parts: readonly ArrayLike<unknown>[], star: boolean, segmented: boolean, s: number, i: number, out: unknown[][]): false {
    Promise.resolve(value).then(
      (settled) => {
        out[s]![i] = settled;
        this.#chunk(id, fn, parts, star, segmented, s, i + 1, out, true);
      },
      (error) => {
        this.#answers.fail(id, error, valuesBefore(out, s, i));
        this.#next();
      },
    );
    return false;
  }

  /**
   * A long map chunk that came packed (all numbers, `segments.ts`): its values go straight into a
   * packed answer while they are numbers (an `Int32Array` while they are 32-bit integers, then a
   * `Float64Array`), with no array of values between, nor a second pass to pack them (W4's
   * 125,000-item chunks: an array of a megabyte per chunk, faulted in, and read again; W4 ran
   * 1.6 to 2 times as fast without). At the first value that is not a number, the chunk goes on as any
   * other. Short chunks do not come here: with no array of values made, the worker collects its
   * garbage so rarely that the packed chunks it received pile up (W6, chunks of 1,000: +11 MB RSS).
   */
  #packed(id: number, fn: AnyFunction, items: PackedNumbers): boolean {
    const length = items.length;
    let out: PackedNumbers = new Int32Array(length);
    let integers = true;
    for (let i = 0; i < length; i++) {
      let value: unknown;
      try {
        value = fn(items[i]);
      } catch (error) {
        this.#answers.fail(id, error, Array.from(out.subarray(0, i)));
        return true;
      }
      if (typeof value !== 'number') return this.#unpacked(id, fn, items, out, i, value);
      if (integers && !isInt32(value)) {
        integers = false;
        out = widened(out as Int32Array, i);
      }
      out[i] = value;
    }
    this.#answers.succeedPacked(id, out);
    return true;
  }

  /** A packed chunk's item `i` gave `value`, not a number: the chunk goes on in an array of values. */
  #unpacked(id: number, fn: AnyFunction, items: PackedNumbers, done: PackedNumbers, i: number, value: unknown): boolean {
    const out = [resultArray(items.length)];
    for (let j = 0; j < i; j++) out[0]![j] = done[j];
    if (isThenable(value)) return this.#awaitItem(value, id, fn, [items], false, false, 0, i, out);
    out[0]![i] = value;
    return this.#chunk(id, fn, [items], false, false, 0, i + 1, out);
  }
}

/** An array for `length` values, allocated once; past V8's fast-array bound (2^25) it would be a dictionary, so it grows instead. */
function resultArray(length: number): unknown[] {
  return length <= 1 << 24 ? new Array<unknown>(length) : [];
}

/** Whether a task's value is a promise (or any thenable) to wait for. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function';
}
