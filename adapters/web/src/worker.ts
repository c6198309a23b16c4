/**
 * The browser worker entry: core's locked worker loop over `self` (see `superviseWebWorker`),
 * bundled with core into one self-contained module, since a module worker cannot resolve a
 * bare specifier.
 * @module
 */
import { runLockedWorker, type WebWorkerScope } from '@pool/core/worker';
import { closing, leftover } from './closing.js';

declare const self: WebWorkerScope & {
  addEventListener(type: 'unhandledrejection', listener: (event: { reason: unknown; preventDefault(): void }) => void): void;
};

// A browser worker outlives an unhandled rejection; every other runtime ends it. It is raised
// after the task that left it, often once that one has answered and another runs: so it is
// reported as such, and the pool's side ends the worker without blaming the unit running then
// (its units run again one at a time; one that does it alone fails, WorkerExitError).
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  try {
    self.postMessage({ type: leftover, reason: event.reason });
  } catch {
    self.postMessage({ type: leftover, reason: String(event.reason) });
  }
  halt();
});

// A browser's close() lets the running code go on, and what it posts still arrives: a task that
// closes its worker would answer, and the next units would run. So close() stops here instead,
// as process.exit() and Deno.exit() do, once it has told the pool's side, which reports the
// exit at once and terminates the worker.
const close = self.close.bind(self);
self.close = () => {
  self.postMessage(closing);
  close();
  halt();
};

declare const WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { buffer: ArrayBufferLike } };

/**
 * Waits for terminate() without burning a core: Atomics.wait on shared WebAssembly memory, which
 * Chromium gives even where the page is not cross-origin isolated; a spin where it cannot.
 */
function halt(): never {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    for (;;) Atomics.wait(new Int32Array(memory.buffer), 0, 0);
  } catch {
    // No shared memory, or no waiting on this thread.
  }
  for (;;);
}

// The pool retiring the worker (maxTasksPerChild, close()) is another matter: no task runs then,
// so the browser's own close() ends it cleanly. Halted instead, each retired worker's thread
// lived on ~2 s, blocked, and with maxTasksPerChild they piled up by the dozen.
runLockedWorker(self, { exit: close });
