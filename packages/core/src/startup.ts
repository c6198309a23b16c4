/**
 * The start-up policy: when a worker that has not become ready dies, replace it, wait, or break
 * the pool. A worker that fails by its own fault — its module or initializer threw (at once), or
 * it exited on its own before it was ready ({@link startFailureLimit} times in a row) — breaks the
 * pool, since its replacements would fail the same way. A worker killed from outside while it
 * started (a signal: an OOM killer, an operator) is no evidence against the module: it is
 * replaced after a back-off that doubles with each such death in a row, and never breaks the pool.
 * One still starting after `startTimeout` ms breaks it too ({@link startTimedOut}).
 * @module
 */
import type { WorkerExit } from './adapter.js';
import { TimeoutError } from './errors.js';
import type { InitStage } from './protocol.js';

/** Workers in a row that exit on their own before they are ready, to break the pool. */
export const startFailureLimit = 3;
/** First and longest wait before replacing a worker killed from outside while it started. */
const backoffMs = { first: 20, max: 2_000 };

/** What to do about a worker that died before it was ready. */
export type StartVerdict =
  | { readonly action: 'respawn' }
  | { readonly action: 'wait'; readonly ms: number }
  | { readonly action: 'break'; readonly cause: unknown; readonly message: string };

/** Counts start-up deaths in a row; a worker becoming ready resets both counts. */
export class StartupPolicy {
  #failures = 0;
  #kills = 0;

  /** A worker became ready: the module is fine. */
  ready(): void {
    this.#failures = 0;
    this.#kills = 0;
  }

  /** A worker died before it was ready. */
  died(exit: WorkerExit): StartVerdict {
    if (exit.signal !== null) return { action: 'wait', ms: Math.min(backoffMs.max, backoffMs.first * 2 ** this.#kills++) };
    if (++this.#failures < startFailureLimit) return { action: 'respawn' };
    return {
      action: 'break',
      cause: exit.error ?? new Error(exitText(exit)),
      message: `${startFailureLimit} workers in a row exited before they were ready; the last: ${exitText(exit)}`,
    };
  }
}

/** How a worker ended, with the runtime's own reason first where it gave one. */
export function exitText(exit: WorkerExit): string {
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.exitCode ?? 'unknown'}`;
  return exit.error instanceof Error ? `${exit.error.message} (${how})` : how;
}

/** What a user reads first when a worker says it cannot start: the step, and the root cause. */
export function initFailure(stage: InitStage, error: unknown): string {
  // "Cannot find module '/x/tasks.js' imported from /…/dist/chunk-XYZ.js": the importer is ours, not theirs.
  const message = (error instanceof Error ? error.message : String(error)).replace(/ imported from \S+$/, '');
  if (stage === 'module') return `the task module could not be loaded: ${message}`;
  if (stage === 'initializer') return `the initializer failed: ${message}`;
  return message;
}

/**
 * Why the pool breaks when worker `id` is still starting after `startTimeout` (`ms`): its
 * replacement would load the same module and wait the same way (a top-level `await` that never
 * settles, an initializer stuck on a resource), as a module that throws would throw again.
 */
export function startTimedOut(id: number, ms: number): [cause: TimeoutError, message: string] {
  return [
    new TimeoutError(`Worker ${id} was not ready after ${ms} ms`),
    `a worker did not become ready within startTimeout (${ms} ms): its task module or initializer is still running (a top-level await, or an initializer, that never settles?)`,
  ];
}

/** Why a pool broke whose `init` could not be sent: what it carries of the user's is `initargs`. */
export function initUnsendable(cause: Error): [cause: Error, message: string] {
  return [cause, `the initializer's arguments ('initargs') cannot be sent to a worker: ${cause.message}`];
}
