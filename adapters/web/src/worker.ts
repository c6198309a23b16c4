/**
 * The browser worker entry: core's locked worker loop over `self` (see `superviseWebWorker`),
 * bundled with core into one self-contained module, since a module worker cannot resolve a
 * bare specifier.
 * @module
 */
import { runLockedWorker, type WebWorkerScope } from '@pool/core/worker';
import { closing } from './closing.js';

declare const self: WebWorkerScope & {
  addEventListener(type: 'unhandledrejection', listener: (event: { reason: unknown; preventDefault(): void }) => void): void;
};

// A browser worker outlives an unhandled rejection; every other runtime ends it. Rethrown, it
// becomes an uncaught error, which reaches the pool's side as the Worker's `error` event: the
// worker is then stopped and its task fails with WorkerExitError, as everywhere else.
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  throw event.reason;
});

// A browser's close() lets the running code go on, and what it posts still arrives: a task that
// closes its worker would answer, and the next units would run. So close() stops here instead,
// as process.exit() and Deno.exit() do, once it has told the pool's side, which terminates it.
const close = self.close.bind(self);
self.close = () => {
  self.postMessage(closing);
  close();
  halt();
};

/** Waits for terminate(): without burning a core where shared memory exists, else spinning. */
function halt(): never {
  const Shared = (globalThis as { SharedArrayBuffer?: new (size: number) => ArrayBufferLike }).SharedArrayBuffer;
  if (Shared) Atomics.wait(new Int32Array(new Shared(4)), 0, 0);
  for (;;);
}

runLockedWorker(self);
