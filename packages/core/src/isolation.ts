/**
 * Finding the unit that killed its worker where memory is not shared (processes, web workers on a
 * plain page). There the worker batches its answers too, so when it dies holding several units
 * the pool cannot tell which one it was running: some may be done, their answers held back and
 * lost with it. None of them is blamed. They become suspects and are re-run one at a time, each
 * alone on a worker that holds nothing else, so a death is pinned on exactly one unit again:
 * the unit that kills its worker once more fails alone (`WorkerExitError`, or is retried while its
 * `retries` last), and the innocent ones are answered and cleared. A unit's `retries` count only
 * the deaths it is blamed for.
 * @module
 */
import type { Job, TaskUnit } from './job.js';
import type { Queue } from './queue.js';
import type { Slot } from './slot.js';

/** Units to re-run one at a time, in the order they were held. */
export class Suspects {
  /**
   * Suspects waiting for a worker of their own, in order; changed only here. A plain array, so
   * the dispatch loop's `waiting.length` is no call before the JIT has inlined anything.
   */
  readonly waiting: TaskUnit[] = [];

  /**
   * Puts units under suspicion (those still wanted): the units a dead worker held, a suspect it had
   * not started, a unit blamed for a death that has retries left.
   */
  add(units: readonly TaskUnit[]): void {
    for (const unit of units) {
      if (!unit.pending) continue;
      unit.suspect = true;
      this.waiting.push(unit);
    }
  }

  /** Hands each worker in `slots` that holds nothing, and has room (`maxTasksPerChild`), one suspect. */
  isolate(slots: readonly Slot[], maxTasks: number | undefined, send: (slot: Slot, unit: TaskUnit) => void): void {
    for (const slot of slots) {
      if (this.waiting.length === 0) return;
      if (slot.units.length > 0 || slot.room(maxTasks) <= 0) continue;
      let unit = this.waiting.shift();
      // A suspect whose call has settled (cancelled, failed) has nobody waiting for it.
      while (unit && !unit.pending) unit = this.waiting.shift();
      if (unit) send(slot, unit);
    }
  }

  /**
   * Where the units of a worker that died go; returns the one to fail, if any. One was running
   * (`at`, unless the pool stopped the worker for it); the others never started, or finished with
   * their answers lost: they go back to `queue`. The running one is retried while its `retries`
   * last. Untracked (no shared memory), the running one is known only if the worker held no other:
   * else every unit it held becomes a suspect, blamed for nothing.
   */
  afterDeath(units: TaskUnit[], at: number, tracked: boolean, queue: Queue<TaskUnit>, unattributed = false): TaskUnit | undefined {
    // A death reported after the fact (`WorkerExit.unattributed`) may be pinned on an innocent
    // unit: all become suspects, unless the one running was a suspect already, run alone.
    if ((at >= 0 && !tracked && units.length > 1) || (unattributed && !units[at]?.suspect)) {
      this.add(units);
      return undefined;
    }
    const running = at >= 0 ? units.splice(at, 1)[0] : undefined;
    const unstarted = units.filter((unit) => unit.pending && !unit.suspect);
    if (unstarted.length > 0) queue.unshift(unstarted);
    // A suspect the worker had not started is still one.
    if (unstarted.length < units.length) this.add(units.filter((unit) => unit.suspect));
    if (!running?.pending) return undefined;
    if (running.retriesLeft === 0) return running;
    running.retriesLeft--;
    // Untracked, a unit that has killed its worker runs alone again, so it takes no other with it.
    if (tracked) queue.push(running);
    else this.add([running]);
    return undefined;
  }

  /** Drops the suspects of `job` (cancelled). */
  remove(job: Job): void {
    const waiting = this.waiting;
    if (waiting.length === 0) return;
    let kept = 0;
    for (const unit of waiting) if (unit.job !== job) waiting[kept++] = unit;
    waiting.length = kept;
  }

  clear(): void {
    this.waiting.length = 0;
  }
}

/** Whether `slot` runs a suspect: it then takes nothing else until the suspect is answered. */
export function isolating(slot: Slot): boolean {
  return slot.units.length > 0 && slot.units[0]!.suspect;
}
