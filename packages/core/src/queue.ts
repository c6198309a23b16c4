/**
 * A first-in first-out queue with O(1) `shift`, for the pool's waiting task units.
 * @module
 */

/** Where the queue writes its own `length`, read-only to everybody else. */
type Counted = { length: number };

/**
 * FIFO queue backed by an array and a moving head, compacted as it drains. The array is never
 * replaced, only changed in place: V8 treats a field that was never reassigned as a constant,
 * and the first reassignment (the first compaction, in the middle of a burst) threw away the
 * optimized code of every function that had inlined the queue (push, shift, the executor's
 * enqueue, the pool's apply), to be compiled again while the burst ran.
 */
export class Queue<T> {
  readonly #items: (T | undefined)[] = [];
  #head = 0;

  /**
   * Number of waiting items. A field, not a getter: the dispatch loop reads it many times per
   * unit, and a getter is a call until the JIT has inlined it (the first few thousand calls).
   */
  readonly length: number = 0;

  push(item: T): void {
    this.#items.push(item);
    (this as Counted).length++;
  }

  shift(): T | undefined {
    const items = this.#items;
    if (this.#head === items.length) return undefined;
    const item = items[this.#head];
    items[this.#head++] = undefined;
    (this as Counted).length--;
    if (this.#head > 1024 && this.#head * 2 > items.length) {
      items.copyWithin(0, this.#head);
      items.length -= this.#head;
      this.#head = 0;
    }
    return item;
  }

  /** Puts `items` back at the front, in their order (units a dead worker never started). */
  unshift(items: readonly T[]): void {
    const all = this.#items;
    const waiting = all.slice(this.#head);
    // Emptied and pushed again, not lengthened: an array grown through `length` has holes for good.
    all.length = 0;
    for (const item of items) all.push(item);
    for (const item of waiting) all.push(item);
    this.#head = 0;
    (this as Counted).length = all.length;
  }

  /** Removes every item for which `drop` is true; returns them in order. */
  remove(drop: (item: T) => boolean): T[] {
    const items = this.#items;
    const removed: T[] = [];
    let kept = 0;
    for (let i = this.#head; i < items.length; i++) {
      const item = items[i]!;
      if (drop(item)) removed.push(item);
      else items[kept++] = item;
    }
    items.length = kept;
    this.#head = 0;
    (this as Counted).length = kept;
    return removed;
  }

  /** Empties the queue, returning what it held. */
  clear(): T[] {
    return this.remove(() => true);
  }
}
