/**
 * Running a callback in a microtask, on the hot path: a reaction on one resolved promise. Node's
 * `queueMicrotask` wraps every callback in an async resource (an id, a bound function, the async
 * hooks' before/after/destroy), several times the cost of the reaction itself, paid per call on
 * a sequential caller's path. Callbacks given here never throw: they are the pool's own.
 * @module
 */

const resolved = Promise.resolve();

/** Runs `callback` once the current task and the microtasks queued before it are done. */
export function microtask(callback: () => void): void {
  void resolved.then(callback);
}
