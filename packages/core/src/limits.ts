/**
 * A call's cancellation limits, from its `timeout` and `signal` options: armed when the call is
 * submitted, disarmed when it settles.
 * @module
 */
import { AbortError, TimeoutError } from './errors.js';
import type { AbortSignalLike } from './types.js';

/** A call's `timeout` (ms) and `signal`. */
export type Limits = { timeout: number | undefined; signal: AbortSignalLike | undefined };

/** What one signal's single `abort` listener does: cancel every call armed on it. */
interface Watch {
  readonly listener: () => void;
  readonly calls: Set<() => void>;
}

/**
 * The calls armed on each signal. A signal shared by many calls (one per request, or one to stop
 * everything) gets one listener, not one per call: Node's `EventTarget` scans its listeners on
 * every add and remove (20,000 calls on one signal ran at a tenth of their rate) and warns of a
 * leak past ten.
 */
const watches = new WeakMap<AbortSignalLike, Watch>();

/** Calls `onAbort` when `signal` aborts; returns what stops that. */
function watch(signal: AbortSignalLike, onAbort: () => void): () => void {
  let watching = watches.get(signal);
  if (!watching) {
    const calls = new Set<() => void>();
    const listener = (): void => {
      watches.delete(signal);
      for (const call of [...calls]) call();
    };
    watching = { listener, calls };
    // Listening first: a signal-like object that throws here is not recorded as watched.
    signal.addEventListener('abort', listener, { once: true });
    watches.set(signal, watching);
  }
  const { listener, calls } = watching;
  calls.add(onAbort);
  return () => {
    if (!calls.delete(onAbort) || calls.size > 0 || watches.get(signal)?.calls !== calls) return;
    watches.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}

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
    disarm.push(watch(signal, onAbort));
  }
  if (timeout !== undefined) {
    const timer = setTimeout(() => cancel(timedOut(timeout)), timeout);
    disarm.push(() => clearTimeout(timer));
  }
  return () => {
    for (const f of disarm) f();
  };
}

/** The error of a call whose `timeout` ran out. */
export function timedOut(timeout: number): TimeoutError {
  return new TimeoutError(`The call timed out after ${timeout} ms`);
}
