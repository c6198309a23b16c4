/**
 * A first-in first-out queue with O(1) `shift`, for the pool's waiting task units.
 * @module
 */

/** Where the queue writes its own `length`, read-only to everybody else. */
type Counted = { length: number };

/** FIFO queue backed by an array and a moving head, compacted as it drains. */
export class Queue<T> {
  #items: (T | undefined)[] = [];
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
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    (this as Counted).length--;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Puts `items` back at the front, in their order (units a dead worker never started). */
  unshift(items: readonly T[]): void {
    this.#items = [...items, ...this.#items.slice(this.#head)];
    this.#head = 0;
    (this as Counted).length = this.#items.length;
  }

  /** Removes every item for which `drop` is true; returns them in order. */
  remove(drop: (item: T) => boolean): T[] {
    const kept: T[] = [];
    const removed: T[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i]!;
      (drop(item) ? removed : kept).push(item);
    }
    this.#items = kept;
    this.#head = 0;
    (this as Counted).length = kept.length;
    return removed;
  }

  /** Empties the queue, returning what it held. */
  clear(): T[] {
    return this.remove(() => true);
  }
}
