/**
 * A call's cancellation limits, from its `timeout` and `signal` options: armed when the call is
 * submitted, disarmed when it settles.
 * @module
 */
import { AbortError, TimeoutError } from './errors.js';
import type { AbortSignalLike } from './types.js';

/** A call's `timeout` (ms) and `signal`. */
export type Limits = { timeout: number | undefined; signal: AbortSignalLike | undefined };

/**
 * Arms `limits`: `cancel` is called with `TimeoutError` or `AbortError` (cause: the signal's
 * reason) when one runs out. Returns what disarms both.
 */
export function arm({ timeout, signal }: Limits, cancel: (error: Error) => void): () => void {
  const disarm: Array<() => void> = [];
  if (signal) {
    const onAbort = (): void => cancel(new AbortError('The call was aborted', { cause: signal.reason }));
    if (signal.aborted) {
      onAbort();
      return () => {};
    }
    signal.addEventListener('abort', onAbort, { once: true });
    disarm.push(() => signal.removeEventListener('abort', onAbort));
  }
  if (timeout !== undefined) {
    const timer = setTimeout(() => cancel(new TimeoutError(`The call timed out after ${timeout} ms`)), timeout);
    disarm.push(() => clearTimeout(timer));
  }
  return () => disarm.forEach((f) => f());
}
