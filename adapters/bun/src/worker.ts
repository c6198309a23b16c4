/**
 * The Bun worker entry: binds the worker's global `postMessage` / `message` event to core's
 * worker loop.
 * @module
 */
import { runWorker } from '@pool/core/worker';

declare const self: {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
};
declare const process: { exit(code?: number): never };

runWorker({
  // Most messages move nothing: they go without a transfer list, not with a new empty one.
  send: (message, transfer) => {
    if (transfer) self.postMessage(message, transfer as ArrayBuffer[]);
    else self.postMessage(message);
  },
  listen: (listener) => self.addEventListener('message', ({ data }) => listener(data as Parameters<typeof listener>[0])),
  // Bun workers have no `self.close()`; `process.exit()` ends only this worker, with a `close` event.
  exit: () => process.exit(0),
});
