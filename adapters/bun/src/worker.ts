/**
 * The Bun worker entry: binds the worker's global `postMessage` / `message` event to core's
 * worker loop.
 * @module
 */
import { runWorker, serializeError, type UnitStore } from '@pool/core/worker';
import { uncaughtTag } from './uncaught.js';

declare const self: {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { error: unknown }) => void): void;
};
declare const process: {
  exit(code?: number): never;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): void;
  listenerCount(event: string): number;
  getBuiltinModule(id: 'node:async_hooks'): { AsyncLocalStorage: new () => UnitStore };
};

// Bun tells the pool of a worker's uncaught error only as rendered source text, without the error
// or its class, and of an unhandled rejection with exit code 0. The worker says what killed it
// itself, then ends with code 1, as a Node worker thread would. Where the process handlers are
// not called (under `bun test`), the worker's own error event still is: Bun then ends it.
// A task module's own handler keeps the worker alive, as on Node: then these stand aside.
const report = (error: unknown): void => self.postMessage([uncaughtTag, serializeError(error)]);
const dieOn = (event: 'uncaughtException' | 'unhandledRejection') => (error: unknown): void => {
  if (process.listenerCount(event) > 1) return;
  report(error);
  process.exit(1);
};
process.on('uncaughtException', dieOn('uncaughtException'));
process.on('unhandledRejection', dieOn('unhandledRejection'));
// Bun fires it only where no process handler took the error: the worker is dying either way.
self.addEventListener('error', (event) => {
  report(event.error);
  process.exit(1);
});

runWorker({
  // `undefined` when nothing moves (most messages): no empty transfer list is made for them.
  send: (message, transfer) => self.postMessage(message, transfer),
  listen: (listener) => self.addEventListener('message', ({ data }) => listener(data as Parameters<typeof listener>[0])),
  // Bun workers have no `self.close()`; `process.exit()` ends only this worker, with a `close` event.
  exit: () => process.exit(0),
  // Loaded at a task's first progress() or signal() (~1 ms), not with every worker.
  unitStore: () => new (process.getBuiltinModule('node:async_hooks').AsyncLocalStorage)(),
});
