/**
 * Chunks of plain numbers cross a cloning channel as one `Float64Array`. Cloning an array costs
 * tens of nanoseconds per element (each a tagged value to write, then an element to create);
 * a typed array's bytes are one copy. Every number survives exactly (integers, fractions, -0,
 * NaN, ±Infinity), and the receiver reads the chunk by index, as it would the array: a map
 * task still receives each item as a number, and the caller still gets an array of results.
 * @module
 */

/** Chunks shorter than this go as they are: packing pays off only over many elements. */
export const packFrom = 64;

/** A map chunk's items or values: an array, or the same numbers packed. */
export type Chunk = readonly unknown[] | Float64Array;

/** `items` packed into a `Float64Array` if it is a long enough array of numbers only, else `items`. */
export function packNumbers(items: readonly unknown[]): Chunk {
  const length = items.length;
  if (length < packFrom) return items;
  for (let i = 0; i < length; i++) if (typeof items[i] !== 'number') return items;
  const packed = new Float64Array(length);
  for (let i = 0; i < length; i++) packed[i] = items[i] as number;
  return packed;
}
