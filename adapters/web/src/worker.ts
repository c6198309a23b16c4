/**
 * The browser worker entry: core's locked worker loop over `self` (see `superviseWebWorker`),
 * bundled with core into one self-contained module, since a module worker cannot resolve a
 * bare specifier.
 * @module
 */
import { runLockedWorker, type WebWorkerScope } from '@pool/core/worker';

declare const self: WebWorkerScope & {
  addEventListener(type: 'unhandledrejection', listener: (event: { reason: unknown }) => void): void;
};

// A browser worker outlives an unhandled rejection; every other runtime ends it. Rethrown, it
// becomes an uncaught error, which reaches the pool's side as the Worker's `error` event: the
// worker is then stopped and its task fails with WorkerExitError, as everywhere else.
self.addEventListener('unhandledrejection', (event) => {
  throw event.reason;
});

runLockedWorker(self);
