/**
 * Taking back units a worker holds but has not started, without stopping it: possible where the
 * pool and the worker share memory. Each unit has a cell (`1 + id % cells`) in the worker's
 * shared `progress` array; both sides swap their mark into it, and whoever swaps first wins:
 * the worker marks `id + 1` before it starts the unit, the pool `-(id + 1)` to recall it.
 * @module
 */
import type { Job, TaskUnit } from './job.js';
import type { Slot } from './slot.js';
import { unref } from './timers.js';

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

/**
 * Takes back the units of a cancelled `job` that `slot` holds; returns how many. Where memory is
 * shared, a unit the worker has not started is recalled: it skips it, answers it as cancelled, and
 * carries on. A unit it may have started costs the worker (`kill`), at once with no `grace`,
 * else after `grace` ms in which the task's `signal()` is aborted and it may stop on its own;
 * until then the units stay held, and their answers, when they come, are dropped.
 */
export function takeBack(slot: Slot, job: Job, grace: number, kill: (slot: Slot) => void): number {
  const started: TaskUnit[] = [];
  let taken = 0;
  for (const unit of slot.units) {
    if (unit.job !== job) continue;
    taken++;
    if (!slot.progress || !recall(slot.progress, unit.id)) started.push(unit);
  }
  if (started.length === 0) return taken;
  if (grace === 0) {
    // Gone from the worker now (its exit may be reported at once, before the job settles):
    // they must not go back to the queue with the units it had not started.
    for (let i = slot.units.length - 1; i >= 0; i--) if (slot.units[i]!.job === job) slot.units.splice(i, 1);
    kill(slot);
    return taken;
  }
  for (const unit of started) slot.handle.send({ type: 'abort', id: unit.id });
  const timer = setTimeout(() => {
    if (slot.phase !== 'gone' && slot.phase !== 'stopping' && started.some((unit) => slot.units.includes(unit))) kill(slot);
  }, grace);
  unref(timer);
  return taken;
}
