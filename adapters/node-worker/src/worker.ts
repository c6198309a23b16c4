/**
 * The worker-thread entry: binds `parentPort` to @pool/core's worker loop.
 * @module
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { runWorker } from '@pool/core/worker';

const port = parentPort!;
runWorker({
  send: (message) => port.postMessage(message),
  listen: (listener) => port.on('message', listener),
  exit: () => process.exit(0),
  // This thread's own heap (process.memoryUsage() would also read the process's RSS: slower).
  memory: () => getHeapStatistics().used_heap_size,
});
