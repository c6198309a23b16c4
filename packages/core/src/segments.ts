/**
 * Long chunks cross the channel in segments. A chunk of a big `map` (Python's default cuts a
 * million items for two workers into chunks of 125,000) would cross as one array each way, and
 * an array that long is a "large object" to the engine: allocated in pages of its own, mapped
 * fresh and given back to the system when collected, on both sides, for its copy, its clone and
 * its values. On the 2-core VM the page faults of those megabytes were most of W4's time. Cut
 * into segments of {@link segmentLength} items, every array stays a young, ordinary object.
 * Only the wire changes: a chunk is one unit, with one answer, as before.
 * @module
 */

/**
 * Items per segment: under V8's large-object bound (128 KiB of 8-byte slots, 16,384 items). A
 * bare two-thread map of a million integers in 125,000-item chunks ran 230–270 ms a round as
 * one array per chunk, 145–185 ms in segments of 8,192 and 120–175 ms in segments of 4,096.
 */
export const segmentLength = 4096;

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

/** A chunk's values as they arrived in segments: a map copies them into place without joining them first. */
export class Segments {
  constructor(readonly parts: readonly (readonly unknown[])[]) {}

  /** Copies every value into `target` from `offset` on. */
  copyInto(target: unknown[], offset: number): void {
    for (const part of this.parts) {
      for (let i = 0; i < part.length; i++) target[offset + i] = part[i];
      offset += part.length;
    }
  }

  /** The values as one array. */
  join(): unknown[] {
    return this.parts.flat();
  }
}

/** An `ok` answer's value, its segments wrapped as {@link Segments}. */
export function answered(message: { readonly value: unknown; readonly segmented?: true }): unknown {
  return message.segmented ? new Segments(message.value as unknown[][]) : message.value;
}

/** The values of a chunk's segments before item `i` of segment `s`, as one array: what a chunk that failed there had done. */
export function valuesBefore(parts: unknown[][], s: number, i: number): unknown[] {
  parts[s]!.length = i;
  return s === 0 ? parts[0]! : parts.slice(0, s + 1).flat();
}
