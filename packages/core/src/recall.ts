/**
 * Taking back units a worker holds but has not started, without stopping it: possible where the
 * pool and the worker share memory. Each unit has a cell (`1 + id % cells`) in the worker's
 * shared `progress` array; both sides swap their mark into it, and whoever swaps first wins:
 * the worker marks `id + 1` before it starts the unit, the pool `-(id + 1)` to recall it.
 * @module
 */

/** Recall cells per worker: more than the units a worker ever holds (`maxWindow`, 64). */
export const recallCells = 256;

/** A worker's shared `progress` array: the running unit's cell, then the recall cells. */
export function progressArray(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (1 + recallCells)));
}

/** Pool side: recalls unit `id`. `true` if the worker will skip it; `false` if it has started it. */
export function recall(progress: Int32Array, id: number): boolean {
  const cells = progress.length - 1;
  if (cells < 1) return false;
  return Atomics.exchange(progress, 1 + (id % cells), -(id + 1)) !== id + 1;
}

/** Worker side: claims unit `id` before running it. `false` if the pool has recalled it. */
export function claim(progress: Int32Array, id: number): boolean {
  const cells = progress.length - 1;
  if (cells < 1) return true;
  return Atomics.exchange(progress, 1 + (id % cells), id + 1) !== -(id + 1);
}
