/**
 * The worker-thread entry: binds `parentPort` to @pool/core's worker loop.
 * @module
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { runWorker } from '@pool/core/worker';
import { registerTypeScriptHooks } from './typescript.js';

const port = parentPort!;
// Messages the pool sends meanwhile wait in the port until runWorker listens.
void registerTypeScriptHooks(process.execArgv, process.versions.node, process.cwd()).catch((error: unknown) => {
  process.emitWarning(`@pool/node-worker: could not register tsx in a worker thread: ${String(error)}`);
}).then(() => runWorker({
  send: (message) => port.postMessage(message),
  listen: (listener) => port.on('message', listener),
  exit: () => process.exit(0),
  // This thread's own heap (process.memoryUsage() would also read the process's RSS: slower).
  memory: () => getHeapStatistics().used_heap_size,
}));
