/**
 * The worker-thread entry: binds `parentPort` to @pool/core's worker loop.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { runWorker } from '@pool/core/worker';

const port = parentPort!;
runWorker({
  send: (message) => port.postMessage(message),
  listen: (listener) => port.on('message', listener),
  exit: () => process.exit(0),
});
