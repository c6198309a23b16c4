/**
 * A worker's units received and not yet started, kept as the messages they came in: a batch of
 * tiny calls is read in place, not split into an object and an argument list per unit, which
 * were most of what a worker allocated per tiny task.
 * @module
 */
import type { TaskKind, TaskRef, ToWorker } from './protocol.js';

/** The units of one message: unit `i` has id `first + i` and `args[i]`; `next` is the next to start. */
interface Run {
  readonly first: number;
  readonly kind: TaskKind;
  readonly task: TaskRef;
  /** Per unit: its argument list or chunk, or, where `single`, its one argument. */
  readonly args: readonly unknown[];
  readonly single: boolean;
  /** Whether its one unit is a long chunk in segments (`segments.ts`). */
  readonly segmented: boolean;
  next: number;
  /** One past its last unit still here: units from `end` on were given back. */
  end: number;
}

/** The queue. {@link take} moves the next unit into its public fields, so reading one allocates nothing. */
export class UnitQueue {
  readonly #runs: Run[] = [];
  /** Units the pool cancelled before they started: passed over when their turn comes. */
  readonly #dropped = new Set<number>();
  /** The unit taken last: its id, kind and task. */
  id = 0;
  kind: TaskKind = 0 as TaskKind;
  task: TaskRef = '';
  /** Whether `value` is the call's one argument (else its argument list, or the chunk). */
  single = false;
  /** Whether `value` is a chunk's segments. */
  segmented = false;
  value: unknown = undefined;
  /** Whether other units wait behind the one taken last. */
  more = false;

  /** Queues the units of a `task` or `batch` message. */
  push(message: Extract<ToWorker, { type: 'task' | 'batch' }>): void {
    if (message.type === 'batch') {
      const { id, kind, task, args, single } = message;
      if (args.length > 0) this.#runs.push({ first: id, kind, task, args, single, segmented: false, next: 0, end: args.length });
    } else {
      const { id, kind, task, args } = message;
      this.#runs.push({ first: id, kind, task, args: [args], single: false, segmented: message.segmented === true, next: 0, end: 1 });
    }
  }

  /** Takes the next unit into the fields above; `false` if none waits. */
  take(): boolean {
    while (this.#runs.length > 0) {
      const run = this.#runs[0]!;
      const i = run.next++;
      if (run.next >= run.end) this.#runs.shift();
      const id = run.first + i;
      if (this.#dropped.size > 0 && this.#dropped.delete(id)) continue;
      this.id = id;
      this.kind = run.kind;
      this.task = run.task;
      this.single = run.single;
      this.segmented = run.segmented;
      this.value = run.args[i];
      this.more = this.#runs.length > 0;
      return true;
    }
    return false;
  }

  /**
   * Gives back the last units waiting here, all but `keep`: they will not start. Returns their
   * ids, in order, less those dropped already (answered as cancelled).
   */
  giveBack(keep: number): number[] {
    let excess = -keep;
    for (const run of this.#runs) excess += run.end - run.next;
    const ids: number[] = [];
    while (excess > 0) {
      const run = this.#runs[this.#runs.length - 1]!;
      const from = Math.max(run.next, run.end - excess);
      for (let i = run.end - 1; i >= from; i--) if (!this.#dropped.delete(run.first + i)) ids.push(run.first + i);
      excess -= run.end - from;
      run.end = from;
      if (run.end <= run.next) this.#runs.pop();
    }
    return ids.reverse();
  }

  /** Drops unit `id` if it waits here (`true`), so that it never starts. */
  drop(id: number): boolean {
    for (const run of this.#runs) {
      const i = id - run.first;
      if (i >= run.next && i < run.end) {
        this.#dropped.add(id);
        return true;
      }
    }
    return false;
  }
}
