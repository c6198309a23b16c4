/**
 * The Bun worker entry: binds the worker's global `postMessage` / `message` event to core's
 * worker loop.
 * @module
 */
import { runWorker } from '@pool/core/worker';

declare const self: {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
};
declare const process: { exit(code?: number): never };

runWorker({
  // `undefined` when nothing moves (most messages): no empty transfer list is made for them.
  send: (message, transfer) => self.postMessage(message, transfer),
  listen: (listener) => self.addEventListener('message', ({ data }) => listener(data as Parameters<typeof listener>[0])),
  // Bun workers have no `self.close()`; `process.exit()` ends only this worker, with a `close` event.
  exit: () => process.exit(0),
});
