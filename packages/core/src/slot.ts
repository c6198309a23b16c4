/**
 * One worker as the pool sees it: its handle, the task units it holds, and its pace. A worker
 * runs one unit at a time, but holds a few more when tasks are short (see `batching.ts`).
 * @module
 */
import type { WorkerHandle } from './adapter.js';
import { Pace, room } from './batching.js';
import type { TaskUnit } from './job.js';
import { TaskKind } from './protocol.js';

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
  /** Units answered so far. */
  answered = 0;
  readonly #pace = new Pace();

  constructor(
    readonly handle: WorkerHandle,
    /** Where the worker writes `id + 1` of the unit it starts (where memory is shared). */
    readonly progress: Int32Array | null,
  ) {}

  /**
   * Whether it can take units now: not leaving, not being stopped. A starting worker takes its
   * first unit right behind `init`, saving a round trip; it runs it once the module has loaded.
   */
  get usable(): boolean {
    return this.phase === 'starting' || this.phase === 'ready';
  }

  /** How many more units to send now (see `batching.ts`). */
  room(maxTasks: number | undefined): number {
    return room(this.#pace, this.units.length, this.sent, maxTasks);
  }

  /**
   * Sends units to the worker: consecutive units of one call as one `batch` (kind and task once,
   * single arguments as a flat list), else one by one. Returns the units that could not be sent,
   * with why; each fails alone.
   */
  send(units: readonly TaskUnit[], now: number): Array<{ unit: TaskUnit; error: unknown }> {
    const failed: Array<{ unit: TaskUnit; error: unknown }> = [];
    for (let start = 0; start < units.length;) {
      let end = start + 1;
      while (end < units.length && units[end]!.call === units[start]!.call && !units[start]!.call.transfer) end++;
      if (end - start === 1 || !this.#sendBatch(units, start, end, now)) {
        for (let i = start; i < end; i++) {
          const unit = units[i]!;
          try {
            this.handle.send({ type: 'task', id: this.sent, kind: unit.call.kind, task: unit.call.task, args: unit.args }, unit.call.transfer);
            this.#hold(unit, now);
          } catch (error) {
            failed.push({ unit, error });
          }
        }
      }
      start = end;
    }
    return failed;
  }

  /** Sends units [start, end) of one call in one message; `false` if one of them cannot be sent. */
  #sendBatch(units: readonly TaskUnit[], start: number, end: number, now: number): boolean {
    const { kind, task } = units[start]!.call;
    let single = kind === TaskKind.Call;
    const args: unknown[] = [];
    const ids: number[] = [];
    for (let i = start; i < end; i++) {
      const unitArgs = units[i]!.args;
      if (unitArgs.length !== 1) single = false;
      args.push(unitArgs);
      ids.push(this.sent + i - start);
    }
    if (single) for (let i = 0; i < args.length; i++) args[i] = (args[i] as unknown[])[0];
    try {
      this.handle.send({ type: 'batch', ids, kind, task, args, single });
    } catch {
      return false;
    }
    for (let i = start; i < end; i++) this.#hold(units[i]!, now);
    return true;
  }

  /** Records a sent unit, giving it its id on this channel. */
  #hold(unit: TaskUnit, now: number): void {
    unit.id = this.sent++;
    unit.sentAt = now;
    this.units.push(unit);
  }

  /** Takes the unit answered by `id` (the head, unless answers come out of order); updates the pace. */
  answer(id: number, now: number): TaskUnit | undefined {
    const at = this.units[0]?.id === id ? 0 : this.units.findIndex((unit) => unit.id === id);
    if (at < 0) return undefined;
    const unit = at === 0 ? this.units.shift()! : this.units.splice(at, 1)[0]!;
    this.answered++;
    this.#pace.record(unit.sentAt, now);
    return unit;
  }

  /**
   * Index in `units` of the unit the worker is running, or -1. Without `progress` it is the
   * head, as answers then come one by one; with it, units before it may be done but unanswered.
   */
  runningAt(): number {
    if (this.phase !== 'ready' || this.units.length === 0) return -1;
    if (!this.progress) return 0;
    const id = Atomics.load(this.progress, 0) - 1;
    return this.units.findIndex((unit) => unit.id === id);
  }
}
