/**
 * How the pool's units ride BullMQ jobs: the packing of the units ready in one turn into
 * batches, and the book of which batch (job) each unit in flight rides in, so that a job leaves
 * Redis only once none of its units is wanted.
 * @module
 */
import { maxBatchBytes, maxBatchUnits } from './wire.js';

/** A unit ready to send: its id and its encoded payload (base64). */
export type Ready = readonly [id: number, payload: string];

/**
 * Splits the units ready in one turn into `free` batches of even size (a burst is spread over
 * every free job of the hosts), each within {@link maxBatchUnits} and {@link maxBatchBytes}.
 * With `free` unbounded (before the first count of hosts), one unit a batch.
 */
export function pack(ready: readonly Ready[], free: number): Ready[][] {
  const size = Math.min(maxBatchUnits, Math.ceil(ready.length / Math.min(free, ready.length)));
  const batches: Ready[][] = [];
  let current: Ready[] = [];
  let bytes = 0;
  for (const unit of ready) {
    if (current.length > 0 && (current.length >= size || bytes + unit[1].length > maxBatchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(unit);
    bytes += unit[1].length;
  }
  batches.push(current);
  return batches;
}

/** The units one job carries, and how many of them are still in flight. */
interface Batch {
  readonly key: string;
  readonly ids: readonly number[];
  live: number;
}

/** Batches with a unit in flight, by job id, and the batch of each unit in flight. */
export class Batches {
  readonly #byKey = new Map<string, Batch>();
  readonly #byUnit = new Map<number, Batch>();

  /** Batches out. */
  get size(): number {
    return this.#byKey.size;
  }

  /** Job ids of the batches out. */
  keys(): string[] {
    return [...this.#byKey.keys()];
  }

  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  /** Records a batch sent as job `key`. */
  add(key: string, ids: readonly number[]): void {
    const batch: Batch = { key, ids, live: ids.length };
    this.#byKey.set(key, batch);
    for (const id of ids) this.#byUnit.set(id, batch);
  }

  /** The ids of a batch's units still in flight in it (to send it again). */
  units(key: string): number[] {
    const batch = this.#byKey.get(key);
    return batch ? batch.ids.filter((id) => this.#byUnit.get(id) === batch) : [];
  }

  /** Takes a unit out of flight. Returns its batch's job id once no unit of that batch is left. */
  forget(id: number): string | undefined {
    const batch = this.#byUnit.get(id);
    if (!batch) return undefined;
    this.#byUnit.delete(id);
    if (--batch.live > 0) return undefined;
    this.#byKey.delete(batch.key);
    return batch.key;
  }

  clear(): void {
    this.#byKey.clear();
    this.#byUnit.clear();
  }
}
