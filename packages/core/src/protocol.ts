/**
 * The one message union both sides of the channel speak. Kept small and flat: every task and
 * every result crosses as one of these, so their size is the pool's per-task overhead.
 * @module
 */
import type { SerializedError } from './serialize-error.js';
import type { PackedNumbers } from './segments.js';

/**
 * The protocol's version. The pool and its workers may load different copies of @pool/core
 * (an adapter with its own dependency); a worker that speaks another version refuses to start.
 */
export const protocolVersion = 6;

/** A task reference on the wire: an export name, or a function's source text. */
export type TaskRef = string | { readonly source: string };

/** How a task message's payload is applied. */
export const TaskKind = {
  /** `args` is one argument list: `fn(...args)`. */
  Call: 0,
  /** `args` is a chunk of single arguments: `args.map(x => fn(x))`. */
  Map: 1,
  /** `args` is a chunk of argument lists: `args.map(a => fn(...a))`. */
  Starmap: 2,
} as const;
/** One of {@link TaskKind}'s values. */
export type TaskKind = (typeof TaskKind)[keyof typeof TaskKind];

/** One unit of work: a call, or a chunk of a map. */
export interface TaskMessage {
  /** The unit's id, named again by its answer. */
  readonly id: number;
  readonly kind: TaskKind;
  readonly task: TaskRef;
  /** A call's arguments, or a chunk's items: a map chunk's numbers may come packed (`segments.ts`). */
  readonly args: readonly unknown[] | PackedNumbers;
}

/**
 * Parent → worker. A worker runs the units it receives (`task` one, `batch` several) one at a
 * time, in the order received, and answers each once by its id: `ok` or `error`, or, where it
 * batches answers, several `ok`s at once as `values`. Nothing is matched by position.
 */
export type ToWorker =
  | {
      readonly type: 'init';
      /** {@link protocolVersion} of the pool's side. */
      readonly protocol: number;
      readonly module: string | null;
      readonly initializer: TaskRef | null;
      readonly initargs: readonly unknown[];
      /**
       * Shared memory where the worker writes `id + 1` of the unit it starts (cell 0), so the pool
       * knows which one was running if it dies; given where the adapter shares memory. Cells
       * after the first are recall cells: before unit `id` the worker swaps `id + 1` into cell
       * `1 + id % (length - 1)`, and skips the unit if it finds `-(id + 1)` there, which the pool
       * swaps in to take back a unit the worker has not started (see `recall.ts`).
       */
      readonly progress: Int32Array | null;
      /** Whether the worker may hold successful answers and send them together (`values`). */
      readonly batchAnswers: boolean;
      /** Chunks with at least this many values, all numbers, answer them packed (`segments.ts`); 0: never. */
      readonly packFrom: number;
      /**
       * Bytes of memory (as the adapter's worker measures it: heap for threads, RSS for
       * processes) above which the worker says `memory` after a unit; absent for no limit.
       */
      readonly memoryLimit?: number;
    }
  /** One unit. A long chunk's `args` come as its consecutive segments, with `segmented` (`segments.ts`). */
  | ({ readonly type: 'task'; readonly segmented?: true } & TaskMessage)
  /**
   * Several units of one task (a call's chunks, or applies of it): unit `i` has id `id + i` and,
   * as its argument list, `args[i]`, or, when `single`, the one argument `args[i]` (`Call` units
   * only). Ids are consecutive, so one number names them all: a list of ids would cost as much to
   * clone as tiny arguments.
   */
  | {
      readonly type: 'batch'; readonly id: number; readonly kind: TaskKind; readonly task: TaskRef;
      readonly args: readonly unknown[]; readonly single: boolean;
    }
  | { readonly type: 'close' }
  /** The call of unit `id` was cancelled: its `signal()` aborts, so the task may stop on its own. */
  | { readonly type: 'abort'; readonly id: number };

/** A worker's start-up steps, in order: check the protocol, load the module, run the initializer. */
export type InitStage = 'protocol' | 'module' | 'initializer';

/** Worker → parent. */
export type FromWorker =
  | { readonly type: 'ready' }
  /** The worker cannot start: `stage` says which step failed, `error` the step's own error. */
  | { readonly type: 'init-failed'; readonly stage: InitStage; readonly error: SerializedError }
  /**
   * Unit `id` finished: its value (for a chunk, the list of values). With `segmented`, a chunk's
   * values in consecutive parts: arrays, or one `Int32Array` or `Float64Array` where all are numbers (`segments.ts`).
   */
  | { readonly type: 'ok'; readonly id: number; readonly value: unknown; readonly segmented?: true }
  /** Units `id + i` finished with `values[i]` (a worker batches consecutive units only). */
  | { readonly type: 'values'; readonly id: number; readonly values: readonly unknown[] }
  /**
   * Unit `id` failed. For a chunk, `done` holds the values of the items before the failing one,
   * so an ordered `imap` can still yield them.
   */
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError; readonly done?: readonly unknown[] }
  /** The task running unit `id` called `progress(value)`. */
  | { readonly type: 'progress'; readonly id: number; readonly value: unknown }
  /** After a unit, the worker's memory (`bytes`) is over `memoryLimit`: retire it. Sent once. */
  | { readonly type: 'memory'; readonly bytes: number }
  /**
   * Units `ids` were held and not started, and the worker will not run them: a unit just took
   * `ms`, so they waited behind it, and more may come (`batching.ts`, point 4). The pool queues
   * them again for any worker. `stalled`: the unit is async and still pending after `ms`; the
   * pool sends this worker nothing more until it answers.
   */
  | { readonly type: 'returned'; readonly ids: readonly number[]; readonly ms: number; readonly stalled?: true };
