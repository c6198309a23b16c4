/**
 * One worker as the pool sees it: its handle, the task units it holds, and its pace. A worker
 * runs one unit at a time, but holds a few more when tasks are short (see `batching.ts`).
 * @module
 */
import type { WorkerHandle } from './adapter.js';
import { Pace, room } from './batching.js';
import type { TaskUnit } from './job.js';
import type { ExitReason, WorkerFigures } from './metrics.js';
import { unref } from './timers.js';

/**
 * A worker's life: `starting` until it has loaded the module, then `ready`; `leaving` once asked
 * to exit, `stopping` once the pool stops it itself (its messages are then stale), `gone` once
 * its exit has been handled.
 */
export type Phase = 'starting' | 'ready' | 'leaving' | 'stopping' | 'gone';

/** A worker tracked by the pool. */
export class Slot {
  phase: Phase = 'starting';
  /** Units sent and not yet answered, in the order sent: the worker runs them in that order. */
  readonly units: TaskUnit[] = [];
  /** Units sent so far: the next unit's id on this worker's channel. */
  sent = 0;
  /** Units it gave back unstarted: its share of `maxTasksPerChild` is `sent - givenBack`. */
  givenBack = 0;
  /** The async unit it gave back the others behind, still pending: it takes nothing until that one answers. */
  #stalledOn: TaskUnit | undefined;
  /** Units answered so far. */
  answered = 0;
  /** Since when it holds no unit (`performance.now()` ms), for `idleTimeout`; 0 while busy. */
  idleSince = 0;
  /** Why the pool retires or stops it, once it does; `crashed` until then. */
  reason: ExitReason = 'crashed';
  /** How long its last answered unit ran, in ms. */
  lastRunMs = 0;
  /** Its `maxLifetime` timer, if armed. */
  lifetime: unknown = undefined;
  /** Its `startTimeout` timer, while it starts, if armed. */
  startTimer: unknown = undefined;
  readonly #pace = new Pace();

  constructor(
    /** Its number in this pool: 1, 2, … */
    readonly id: number,
    readonly handle: WorkerHandle,
    /** Where the worker writes `id + 1` of the unit it starts, then recall cells (where memory is shared). */
    readonly progress: Int32Array | null,
    /** When the pool started it (before the adapter spawned it), in `performance.now()` ms. */
    readonly startedAt: number,
    /** A replacement started ahead (`roster.ts`): it takes units only once the worker it replaces holds none, so no more than `processes` run. */
    public standby = false,
  ) {}

  /**
   * Whether it can take units now: not leaving, not being stopped. A starting worker takes its
   * first unit right behind `init`, saving a round trip; it runs it once the module has loaded.
   */
  get usable(): boolean {
    return (this.phase === 'starting' || this.phase === 'ready') && !this.standby;
  }

  /** It has loaded the module: its pace counts from now (units sent before waited for this). */
  ready(): void {
    this.phase = 'ready';
    clearTimeout(this.startTimer);
    this.#pace.since(performance.now());
  }

  /** How long the units of its `maxTasksPerChild` share not yet sent will take, at its pace; `Infinity` before it has one. */
  msLeft(maxTasks: number): number {
    return (maxTasks - (this.sent - this.givenBack)) * (this.#pace.msPerUnit ?? Number.POSITIVE_INFINITY);
  }

  /** Arms its `startTimeout` (0: none): `expire` runs if it is still starting after `ms`, not once it is ready, leaving or stopped. */
  armStart(ms: number, expire: () => void): void {
    if (ms <= 0) return;
    this.startTimer = setTimeout(() => this.phase === 'starting' && expire(), ms);
    unref(this.startTimer);
  }

  /** Clears its `startTimeout` and `maxLifetime` timers: it has gone. */
  clearTimers(): void {
    clearTimeout(this.startTimer);
    clearTimeout(this.lifetime);
  }

  /** Arms its `maxLifetime`, `left` ms from now: `relieve` runs `ahead` ms before `expire`. */
  armLifetime(left: number, ahead: number, relieve: () => void, expire: () => void): void {
    this.lifetime = setTimeout(() => {
      relieve();
      this.lifetime = setTimeout(expire, ahead);
      unref(this.lifetime);
    }, left - ahead);
    unref(this.lifetime);
  }

  /** How many more units to send now (see `batching.ts`). */
  room(maxTasks: number | undefined): number {
    if (this.#stalledOn !== undefined) return 0;
    return room(this.#pace, this.units.length, this.sent - this.givenBack, maxTasks);
  }

  /** Records a sent unit, giving it its id on this channel. */
  hold(unit: TaskUnit, now: number): void {
    unit.id = this.sent++;
    if (this.units.length === 0) this.#pace.since(now);
    this.units.push(unit);
  }

  /** Takes the unit answered by `id` (the head, unless answers come out of order); updates the pace. */
  answer(id: number, now: number): TaskUnit | undefined {
    const at = this.units[0]?.id === id ? 0 : this.units.findIndex((unit) => unit.id === id);
    if (at < 0) return undefined;
    const unit = at === 0 ? this.units.shift()! : this.units.splice(at, 1)[0]!;
    if (unit === this.#stalledOn) this.#stalledOn = undefined;
    this.answered++;
    this.lastRunMs = this.#pace.record(now);
    return unit;
  }

  /** The unit `id` it holds, if it does (the running one is usually the head). */
  find(id: number): TaskUnit | undefined {
    return this.units[0]?.id === id ? this.units[0] : this.units.find((unit) => unit.id === id);
  }

  /**
   * Takes back units `ids`, which the worker returned unstarted after a unit of `ms` (its pace
   * now); returns those whose calls still wait.
   */
  giveBack(ids: readonly number[], ms: number, stalled = false): TaskUnit[] {
    // A unit still pending has not taken `ms`, only so far: no pace of its task.
    if (stalled) this.#stalledOn = this.units.find((unit) => !ids.includes(unit.id));
    else this.#pace.observe(ms);
    const back: TaskUnit[] = [];
    for (const id of ids) {
      const at = this.units.findIndex((unit) => unit.id === id);
      if (at < 0) continue;
      const unit = this.units.splice(at, 1)[0]!;
      this.givenBack++;
      if (unit.pending) back.push(unit);
    }
    return back;
  }

  /** Its figures for `pool.metrics()`. */
  figures(now: number): WorkerFigures {
    const uptimeMs = now - this.startedAt;
    const utilisation = uptimeMs > 0 ? Math.min(1, this.#pace.busyMs / uptimeMs) : 0;
    return { worker: this.id, phase: this.phase, tasks: this.answered, holding: this.units.length, uptimeMs, utilisation };
  }

  /**
   * Index in `units` of the unit the worker is running, or -1. With `progress`, units before it
   * may be done but unanswered. Without, it is taken to be the head, which is exact only while the
   * worker holds one unit: answers are batched, so units before the running one may be done.
   */
  runningAt(): number {
    if ((this.phase !== 'ready' && this.phase !== 'leaving') || this.units.length === 0) return -1;
    if (!this.progress) return 0;
    const id = Atomics.load(this.progress, 0) - 1;
    return this.units.findIndex((unit) => unit.id === id);
  }
}
