/**
 * Dynamic size: workers are started on demand up to the pool's maximum, and one idle longer than
 * `idleTimeout` is retired while more than the minimum live. One unreferenced timer for the
 * whole pool, armed only while a worker above the minimum is idle; nothing runs per unit.
 * @module
 */
import type { Slot } from './slot.js';
import { unref } from './timers.js';

/** The sizing policy of one pool. */
export class Sizing {
  #timer: unknown;

  constructor(
    readonly min: number,
    readonly max: number,
    readonly idleTimeout: number,
    /** Retires an idle worker. */
    readonly retire: (slot: Slot) => void,
    /** The pool's workers, while it is running (else none). */
    readonly slots: () => Iterable<Slot>,
  ) {}

  /** Workers to start now for `queued` waiting units, with `live` workers taking units. */
  more(live: number, queued: number): number {
    return Math.max(0, Math.min(this.max - live, queued));
  }

  /** Marks newly idle workers and arms the timer if one above the minimum may be due. */
  noteIdle(slots: Iterable<Slot>, live: number, now: number): void {
    let earliest = Infinity;
    for (const slot of slots) {
      if (slot.phase !== 'ready') continue;
      if (slot.units.length > 0) slot.idleSince = 0;
      else if (slot.idleSince === 0) slot.idleSince = now;
      if (slot.idleSince > 0) earliest = Math.min(earliest, slot.idleSince + this.idleTimeout);
    }
    if (live > this.min && earliest < Infinity) this.arm(earliest, now);
  }

  /** Arms the timer for `deadline`, unless it is armed already. */
  arm(deadline: number, now: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const next = this.#sweep(performance.now());
      if (next !== undefined) this.arm(next, performance.now());
    }, Math.max(0, deadline - now) + 1);
    unref(this.#timer);
  }

  /** Retires workers idle for `idleTimeout` while more than the minimum live; returns the next deadline. */
  #sweep(now: number): number | undefined {
    const slots = [...this.slots()];
    let live = slots.filter((slot) => slot.usable).length;
    let next: number | undefined;
    for (const slot of slots) {
      if (live <= this.min) break;
      if (slot.phase !== 'ready' || slot.units.length > 0 || slot.idleSince === 0) continue;
      const due = slot.idleSince + this.idleTimeout;
      if (due <= now) {
        this.retire(slot);
        live--;
      } else {
        next = Math.min(next ?? Infinity, due);
      }
    }
    return live > this.min ? next : undefined;
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
