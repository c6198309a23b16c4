/**
 * How a chunk's items and values cross a channel that clones them. A chunk is one unit with one
 * answer; only the wire changes, in two ways:
 *
 * - **Long chunks go in segments.** A chunk of a big `map` (Python's default cuts a million items
 *   for two workers into chunks of 125,000) crossing as one array is a "large object" to the
 *   engine on both sides: allocated in pages of its own, mapped fresh and faulted in, for its
 *   copy, its clone and its values. On the 2-core VM those page faults were most of W4's time.
 *   In segments of {@link segmentLength} items every array stays a young, ordinary object.
 * - **Numbers go packed,** as one `Int32Array` or `Float64Array`, which clones as one block of
 *   bytes: a chunk's values that are all numbers (`packNumbers`), and a map's or imap's chunk's
 *   items that are (`packItems`): structured clone writes and reads an array of numbers value by value, and
 *   that was most of the rest (a bare two-thread map of a million integers: 110–130 ms a round
 *   with the values in segments, 50–65 ms packed). A `Float64Array` holds every number exactly
 *   (-0, NaN, infinities), an `Int32Array` every integer it is used for; the caller gets the
 *   values in an array, as ever.
 * @module
 */
import type { Supports } from './adapter.js';

/** Numbers in one block of bytes, as a chunk of a map crosses to a worker and back: 32-bit integers, or else doubles. */
export type PackedNumbers = Int32Array | Float64Array;

/**
 * Whether a value is {@link PackedNumbers}: a unit's arguments that are a map chunk's items packed
 * (`packItems`), or items a caller or a queue hands over packed already.
 */
export function isPacked(value: unknown): value is PackedNumbers {
  return value instanceof Int32Array || value instanceof Float64Array;
}

/**
 * Items per segment: under V8's large-object bound (128 KiB of 8-byte slots, 16,384 items). A
 * bare two-thread map of a million integers in 125,000-item chunks ran 230–270 ms a round as
 * one array per chunk, 145–185 ms in segments of 8,192 and 120–175 ms in segments of 4,096.
 */
export const segmentLength = 4096;

/**
 * From how many values a worker packs a chunk's numbers (`init.packFrom`), by what its channel
 * does with a `Float64Array`. Where buffers cross natively (the adapters that can transfer), from
 * 512: a cloned round trip of 1,000 numbers took ~14 µs packed against ~22 as an array, 256 took
 * ~11 against ~8 (the buffer has a fixed cost). Node's IPC serializes a typed array in JavaScript
 * and keeps its copy outside the heap, so there only long chunks pack (W6, 1,000-item chunks on
 * processes: ~20 MB more peak RSS packed). Never where values pass by reference (`inline()`).
 */
export function packFrom(supports: Supports): number {
  if (!supports.cloning) return 0;
  return serializesInJavaScript(supports) ? segmentLength + 1 : 512;
}

/**
 * Whether values cross by a serializer in JavaScript rather than the engine's own clone: the
 * adapters that clone but cannot transfer (Node's IPC, a queue's codec). A round trip costs more
 * there, and on Node's IPC a typed array is no cheaper than an array (a queue's executor sets its
 * own `packFrom`: msgpack writes a typed array as one block).
 */
export function serializesInJavaScript(supports: Pick<Supports, 'cloning' | 'transfer'>): boolean {
  return supports.cloning && !supports.transfer;
}

/** Whether a chunk of this many items crosses in segments. */
export function isLong(length: number): boolean {
  return length > segmentLength;
}

/** `items` cut into consecutive segments of at most {@link segmentLength}. */
export function segment(items: readonly unknown[]): unknown[][] {
  const segments: unknown[][] = [];
  for (let start = 0; start < items.length; start += segmentLength) segments.push(items.slice(start, start + segmentLength));
  return segments;
}

/**
 * Numbers `items[start]` to `items[end - 1]`, packed if there are `from` or more (`from` > 0) and
 * all are numbers: as one `Int32Array` where all are 32-bit integers (-0 is not), else as one
 * `Float64Array`; else `undefined`. Each item is read once, and nothing is allocated for items
 * whose first is not a number (a chunk of objects or strings).
 * - A map's chunk of items, in place of a slice: a slice of a big map's chunk is a large object
 *   to the engine, mapped fresh and faulted in (W4: ~35-75 ms of the host's time for a million
 *   items here). Packed, it clones as one block and arrives as one, where an array is cloned item
 *   by item and read back by the worker into an array its young generation has to keep (W6 on
 *   threads and Deno: ~20 MB less peak RSS packed). An imap's chunks go the same way.
 * - A chunk's values ({@link packNumbers}). Integers packed as doubles took twice the bytes, and
 *   the caller's result array, filled from doubles, was made twice over: the engine turns an
 *   array of small integers into one of doubles at the first double stored in it (W4 on threads:
 *   ~60 ms of the host's first answer).
 */
export function packItems(items: ArrayLike<unknown>, start: number, end: number, from: number): PackedNumbers | undefined {
  if (from === 0 || end - start < from || typeof items[start] !== 'number') return undefined;
  // A map's items given packed already: copied as one block.
  if (isPacked(items)) return items.slice(start, end);
  let packed: PackedNumbers = new Int32Array(end - start);
  let integers = true;
  for (let i = start; i < end; i++) {
    const value = items[i];
    if (typeof value !== 'number') return undefined;
    if (integers && !isInt32(value)) {
      integers = false;
      packed = widened(packed as Int32Array, i - start);
    }
    packed[i - start] = value;
  }
  return packed;
}

/** Whether a number packs into an `Int32Array` as itself (-0 does not). */
export function isInt32(value: number): boolean {
  return value === (value | 0) && !Object.is(value, -0);
}

/** The first `filled` values of `packed`, in a `Float64Array` of its length: for a value that is not a 32-bit integer. */
export function widened(packed: Int32Array, filled: number): Float64Array {
  const doubles = new Float64Array(packed.length);
  doubles.set(packed.subarray(0, filled));
  return doubles;
}

/**
 * A chunk's values in `parts` (its one part, or its segments), packed as `packItems` packs
 * if there are `from` or more in all: one part as it is, segments each and then joined.
 */
export function packNumbers(parts: readonly (readonly unknown[])[], from: number): PackedNumbers | undefined {
  if (parts.length === 1) return packItems(parts[0]!, 0, parts[0]!.length, from);
  let length = 0;
  for (const part of parts) length += part.length;
  if (from === 0 || length < from) return undefined;
  const packed: PackedNumbers[] = [];
  for (const part of parts) {
    const one = packItems(part, 0, part.length, 1);
    if (!one) return undefined;
    packed.push(one);
  }
  const all = packed.some((one) => one instanceof Float64Array) ? new Float64Array(length) : new Int32Array(length);
  let at = 0;
  for (const one of packed) {
    all.set(one, at);
    at += one.length;
  }
  return all;
}

/**
 * Whether this engine clones an array made at its length ("holey") as a sparse one, index by
 * index: V8 does (Node, Deno, Chromium), at twice the bytes and 2.5–4× the time. JavaScriptCore
 * (Bun) clones it as any other array (1,000 strings: ~52 µs either way), so a copy there only
 * costs: ~10 µs a thousand items by spread, 4 by a loop.
 */
const holeyClonesSparse = (globalThis as { Bun?: unknown }).Bun === undefined;

/**
 * `values` as a packed array, to cross a channel that clones (as they are where the engine does
 * not mind). A worker writes a chunk's values into an array made at its length, which V8 keeps
 * "holey" for good (W6 on processes, whose 1,000 values a chunk are not packed: ~12% of its rate
 * went on the sparse clones). Filling a packed array by `push` instead cost W4 ~10% on threads.
 */
export function dense(values: unknown[]): unknown[] {
  return holeyClonesSparse ? denseSlice(values, 0, values.length) : values;
}

/**
 * Items `start` to `end - 1` as a packed array, for a channel that clones. The slices of a holey
 * array are holey too: a map's input made at its length and then filled (as `map()` makes its
 * result, and users often make theirs) crossed sparse, and such a map of 200,000 integers on
 * processes took ~1.45× as long. On V8 a spread `push` copies a thousand items in ~2.5 µs (a
 * slice ~1, a loop ~6); in pieces, to stay far below the engine's bound on arguments.
 */
export function denseSlice(items: readonly unknown[], start: number, end: number): unknown[] {
  if (!holeyClonesSparse) return items.slice(start, end);
  const copy: unknown[] = [];
  for (let from = start; from < end; from += segmentLength) copy.push(...items.slice(from, Math.min(end, from + segmentLength)));
  return copy;
}

/** Items `start` to `end - 1` of a typed array (or any array-like), as an array. */
export function arraySlice(items: ArrayLike<unknown>, start: number, end: number): unknown[] {
  const copy: unknown[] = [];
  for (let i = start; i < end; i++) copy.push(items[i]);
  return copy;
}

/** A chunk's values as they arrived: in segments, or packed. A map copies them into place without joining them first. */
export class Segments {
  constructor(readonly parts: readonly ArrayLike<unknown>[]) {}

  /** Copies every value into `target` from `offset` on. */
  copyInto(target: unknown[], offset: number): void {
    for (const part of this.parts) {
      for (let i = 0; i < part.length; i++) target[offset + i] = part[i];
      offset += part.length;
    }
  }

  /** The values, to read by index: the one part as it is, or the parts joined into an array. */
  values(): ArrayLike<unknown> {
    if (this.parts.length === 1) return this.parts[0]!;
    const all: unknown[] = [];
    this.copyInto(all, 0);
    return all;
  }
}

/** An `ok` answer's value, its parts wrapped as {@link Segments}. */
export function answered(message: { readonly value: unknown; readonly segmented?: true }): unknown {
  return message.segmented ? new Segments(message.value as ArrayLike<unknown>[]) : message.value;
}

/** The values of a chunk's segments before item `i` of segment `s`, as one array: what a chunk that failed there had done. */
export function valuesBefore(parts: unknown[][], s: number, i: number): unknown[] {
  parts[s]!.length = i;
  return s === 0 ? parts[0]! : parts.slice(0, s + 1).flat();
}
