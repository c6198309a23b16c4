/**
 * Replacing a worker ahead of its retirement (`maxTasksPerChild`, `maxLifetime`): its
 * replacement starts {@link relieveAhead} start-ups before, loads the module, and waits on
 * standby; it takes units only once the old worker holds none, so the pool never runs a start-up
 * short, nor more than `processes` calls at once.
 * @module
 */
import type { ExitReason } from './metrics.js';
import type { Slot } from './slot.js';

/** A replacement starts this many start-ups before its worker is retired: start-ups vary, and a standby costs only its memory. */
export const relieveAhead = 4;

/** The standbys of one pool, and how long a start-up takes. */
export class Relief {
  /** How long a worker takes from spawn to ready, in ms: the last, or a decayed slower one (0 until one was). */
  #startupMs = 0;
  /** Workers whose replacement waits on standby: that replacement, and why they are retired. */
  readonly #standbys = new Map<Slot, { next: Slot; reason: ExitReason }>();

  constructor(
    readonly spawnStandby: () => Slot | undefined,
    readonly retire: (slot: Slot, reason: ExitReason) => void,
  ) {}

  /** A worker became ready `ms` after its spawn. A slow start-up counts at once, a fast one slowly: early costs less than late. */
  started(ms: number): void {
    this.#startupMs = Math.max(ms, 0.75 * this.#startupMs);
  }

  /** How long before a retirement its replacement starts, in ms. */
  get aheadMs(): number {
    return relieveAhead * this.#startupMs;
  }

  /** Whether `slot`'s replacement waits on standby. */
  has(slot: Slot): boolean {
    return this.#standbys.has(slot);
  }

  /** Starts `slot`'s replacement on standby, once. */
  relieve(slot: Slot, reason: ExitReason): void {
    if (this.#standbys.has(slot)) return;
    const next = this.spawnStandby();
    if (next) this.#standbys.set(slot, { next, reason });
  }

  /** `slot` has left or gone: its standby, if any, takes units from now on; returns it. */
  takeOver(slot: Slot): Slot | undefined {
    const next = this.#standbys.get(slot)?.next;
    if (!next) return undefined;
    this.#standbys.delete(slot);
    next.standby = false;
    return next;
  }

  /** A standby has died: the worker it was for is replaced as usual when it leaves. */
  lost(standby: Slot): void {
    for (const [slot, { next }] of this.#standbys) if (next === standby) this.#standbys.delete(slot);
  }

  /** Retires each idle worker whose standby is ready (on the hot path: nothing to do without standbys). */
  retireIdle(): void {
    if (this.#standbys.size === 0) return;
    for (const [slot, { next, reason }] of this.#standbys) if (slot.usable && slot.units.length === 0 && next.phase !== 'starting') this.retire(slot, reason);
  }
}
