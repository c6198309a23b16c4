/**
 * The worker-thread entry: binds `parentPort` to @pool/core's worker loop.
 *
 * Start-up cost is the pool's W5: this entry loads core by the URL the pool resolved for it
 * (`workerData.core`; a bare name costs a fresh thread ~3 ms of package resolution), and loads
 * `node:v8` (~1 ms) only for a pool that limits memory, and perf_hooks (~2 ms) not at all.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { ToWorker } from '@pool/core/worker';
import { registerTypeScriptHooks } from './typescript.js';

const port = parentPort!;
// This thread's own heap (process.memoryUsage() would also read the process's RSS: ~30× slower).
let heapUsed = (): number => 0;

// Messages the pool sends meanwhile wait in the port until runWorker listens.
void registerTypeScriptHooks(process.execArgv, process.versions.node, process.cwd()).catch((error: unknown) => {
  process.emitWarning(`@pool/node-worker: could not register tsx in a worker thread: ${String(error)}`);
}).then(async () => {
  const core = (workerData as { core?: string } | null)?.core;
  const { runWorker, hrtimeMs, fullCollector } = (await (core ? import(core) : import('@pool/core/worker'))) as typeof import('@pool/core/worker');
  runWorker({
    send: (message, transfer) => port.postMessage(message, transfer),
    listen: (listener) => {
      // Behind an init that sets a memory limit, messages wait until node:v8 is loaded.
      let held: ToWorker[] | null = null;
      port.on('message', (message: ToWorker) => {
        if (held) return void held.push(message);
        if (message.type !== 'init' || message.memoryLimit === undefined) return listener(message);
        held = [message];
        void import('node:v8').then(({ getHeapStatistics }) => {
          heapUsed = () => getHeapStatistics().used_heap_size;
          const waiting = held!;
          held = null;
          for (const early of waiting) listener(early);
        });
      });
    },
    exit: () => process.exit(0),
    memory: () => heapUsed(),
    collectGarbage: fullCollector(process.getBuiltinModule),
    now: hrtimeMs,
    unitStore: () => new AsyncLocalStorage<number>(),
  });
});
