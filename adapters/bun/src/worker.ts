/**
 * The Bun worker entry: binds the worker's global `postMessage` / `message` event to core's
 * worker loop.
 * @module
 */
import { runWorker, serializeError } from '@pool/core/worker';
import { uncaughtTag } from './uncaught.js';

declare const self: {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { error: unknown }) => void): void;
};
declare const process: { exit(code?: number): never; on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): void };

// Bun tells the pool of a worker's uncaught error only as rendered source text, without the error
// or its class, and of an unhandled rejection with exit code 0. The worker says what killed it
// itself, then ends with code 1, as a Node worker thread would. Where the process handlers are
// not called (under `bun test`), the worker's own error event still is: Bun then ends it.
const report = (error: unknown): void => self.postMessage([uncaughtTag, serializeError(error)]);
const die = (error: unknown): void => {
  report(error);
  process.exit(1);
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);
self.addEventListener('error', (event) => report(event.error));

runWorker({
  // `undefined` when nothing moves (most messages): no empty transfer list is made for them.
  send: (message, transfer) => self.postMessage(message, transfer),
  listen: (listener) => self.addEventListener('message', ({ data }) => listener(data as Parameters<typeof listener>[0])),
  // Bun workers have no `self.close()`; `process.exit()` ends only this worker, with a `close` event.
  exit: () => process.exit(0),
});
