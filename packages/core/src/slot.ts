/**
 * One worker as the pool sees it: its handle, the task units it holds, and its pace. A worker
 * runs one unit at a time, but holds a few more when tasks are short, so it never waits for
 * the pool between them; when tasks are long it holds one, so the load stays balanced.
 * @module
 */
import type { WorkerHandle } from './adapter.js';
import type { TaskUnit } from './job.js';

/**
 * A worker's life: `starting` until it has loaded the module, then `ready`; `leaving` once asked
 * to exit, `stopping` once the pool stops it itself (its messages are then stale), `gone` once
 * its exit has been handled.
 */
export type Phase = 'starting' | 'ready' | 'leaving' | 'stopping' | 'gone';

/** Units a worker may hold at most, however short its tasks. */
const maxWindow = 64;
/** Work, in ms, a worker may hold beyond the unit it is running: bounds imbalance at the end of a map. */
const aheadMs = 2;

/** A worker tracked by the pool. */
export class Slot {
  handle!: WorkerHandle;
  phase: Phase = 'starting';
  /** Units sent and not yet answered, in order: the head is the one running. */
  readonly units: TaskUnit[] = [];
  /** Units sent so far: the next unit's sequence number. */
  sent = 0;
  /** Units answered so far. */
  answered = 0;
  /** Units the worker has started, counted by the worker in shared memory (where it can). */
  progress: Int32Array | null = null;
  /** Smoothed milliseconds per task, once one has been answered. */
  #pace: number | undefined;
  #lastAnswer = 0;

  /**
   * Whether it can take units now: not leaving, not being stopped. A starting worker takes its
   * first unit right behind `init`, saving a round trip; it runs it once the module has loaded.
   */
  get usable(): boolean {
    return this.phase === 'starting' || this.phase === 'ready';
  }

  /**
   * How many more units to send now: none while it still holds half its window (so sends are
   * batched), else enough to fill the window, within what `maxTasks` leaves it.
   */
  room(maxTasks: number | undefined): number {
    const window = this.#window();
    if (this.units.length > window >> 1) return 0;
    const allowed = maxTasks === undefined ? window : Math.min(window, maxTasks - this.sent);
    return allowed - this.units.length;
  }

  /** Records a sent unit. */
  hold(unit: TaskUnit, now: number): void {
    unit.seq = this.sent++;
    unit.sentAt = now;
    this.units.push(unit);
  }

  /** Takes the answered head unit, updating the pace. */
  answer(now: number): TaskUnit | undefined {
    const unit = this.units.shift();
    if (!unit) return undefined;
    this.answered++;
    const took = now - Math.max(this.#lastAnswer, unit.sentAt);
    this.#lastAnswer = now;
    this.#pace = this.#pace === undefined ? took : 0.8 * this.#pace + 0.2 * took;
    return unit;
  }

  /**
   * Index in `units` of the unit the worker is running, or -1. Without `progress` it is the
   * head, as answers then come one by one; with it, units before it may be done but unanswered.
   */
  runningAt(): number {
    if (this.phase !== 'ready' || this.units.length === 0) return -1;
    if (!this.progress) return 0;
    const at = Atomics.load(this.progress, 0) - 1 - this.units[0]!.seq;
    return at >= 0 && at < this.units.length ? at : -1;
  }

  #window(): number {
    if (this.#pace === undefined) return 1;
    return Math.max(1, Math.min(maxWindow, Math.floor(aheadMs / Math.max(this.#pace, 1e-3))));
  }
}
