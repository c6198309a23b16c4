/**
 * Cutting a map's input into chunks, with Python's default chunk size.
 * @module
 */

/**
 * Python's default for `map`: about four chunks per worker, so the work spreads evenly while
 * each message carries many items. `ceil(length / (4 × processes))`, and 0 for no input.
 */
export function defaultChunksize(length: number, processes: number): number {
  return Math.ceil(length / (4 * processes));
}

/** Splits `items` into consecutive slices of `size` (the last may be shorter). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
