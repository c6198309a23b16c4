/**
 * The one message union both sides of the channel speak. Kept small and flat: every task and
 * every result crosses as one of these, so their size is the pool's per-task overhead.
 * @module
 */
import type { SerializedError } from './serialize-error.js';

/**
 * The protocol's version. The pool and its workers may load different copies of @pool/core
 * (an adapter with its own dependency); a worker that speaks another version refuses to start.
 */
export const protocolVersion = 1;

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
  readonly kind: TaskKind;
  readonly task: TaskRef;
  readonly args: readonly unknown[];
}

/**
 * Parent → worker. A worker numbers the units it receives (`task` one, `batch` several) from 0,
 * runs them one at a time in that order, and answers each once: `ok` or `error` (or, where it
 * shares memory, several `ok`s at once as `values`).
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
       * Shared memory where the worker counts the units it has started, so the pool knows which
       * one was running if it dies; given where the adapter shares memory. With it, the worker
       * may send several successful answers as one `values` message.
       */
      readonly progress: Int32Array | null;
    }
  | ({ readonly type: 'task' } & TaskMessage)
  /**
   * Several units of one call: `args` holds each unit's argument list, or, when `single`, each
   * unit's one argument (`Call` units only).
   */
  | { readonly type: 'batch'; readonly kind: TaskKind; readonly task: TaskRef; readonly args: readonly unknown[]; readonly single: boolean }
  | { readonly type: 'close' };

/** Worker → parent. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'init-failed'; readonly error: SerializedError }
  /** A task finished: its value (for a chunk, the list of values). */
  | { readonly type: 'ok'; readonly value: unknown }
  /** Several units finished, in order: their values. */
  | { readonly type: 'values'; readonly values: readonly unknown[] }
  /**
   * A task failed. For a chunk, `done` holds the values of the items before the failing one,
   * so an ordered `imap` can still yield them.
   */
  | { readonly type: 'error'; readonly error: SerializedError; readonly done?: readonly unknown[] };
