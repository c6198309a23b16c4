/**
 * A first-in first-out queue with O(1) `shift`, for the pool's waiting task units.
 * @module
 */

/** FIFO queue backed by an array and a moving head, compacted as it drains. */
export class Queue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** Number of waiting items. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
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
    return removed;
  }

  /** Empties the queue, returning what it held. */
  clear(): T[] {
    return this.remove(() => true);
  }
}
