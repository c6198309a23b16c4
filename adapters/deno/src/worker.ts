/**
 * The Deno worker entry: core's locked worker loop over `self` (see `superviseWebWorker`).
 * @module
 */
import { runLockedWorker, type UnitStore, type WebWorkerScope } from '@pool/core/worker';

declare const self: WebWorkerScope;
declare const Deno: { memoryUsage(): { heapUsed: number } };
declare const process: { getBuiltinModule(id: 'node:async_hooks'): { AsyncLocalStorage: new () => UnitStore } };

runLockedWorker(self, {
  // Deno.memoryUsage().heapUsed is this worker's own isolate.
  memory: () => Deno.memoryUsage().heapUsed,
  // Deno's Node layer loads at a task's first progress() or signal() (~10 ms, once), not with every worker.
  unitStore: () => new (process.getBuiltinModule('node:async_hooks').AsyncLocalStorage)(),
});
