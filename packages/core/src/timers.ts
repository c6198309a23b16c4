/**
 * Timers that do not keep the host alive: a pool's idle, lifetime and cancel-grace timers must
 * not stop a script from exiting. Its own file, since the worker bundle needs it and not what
 * the pool side keeps beside it.
 * @module
 */

/** Lets the host exit with this timer armed, where the runtime can (Node, Bun). */
export function unref(timer: unknown): void {
  (timer as { unref?: () => void } | null)?.unref?.();
}

/** The longest delay a runtime's timer keeps (2³¹ − 1 ms, about 24.8 days): a longer one fires at once. */
export const maxTimerMs = 2 ** 31 - 1;
