/**
 * The Deno worker entry: core's locked worker loop over `self` (see `superviseWebWorker`).
 * @module
 */
import { fullCollector, runLockedWorker, type UnitStore, type WebWorkerScope } from '@pool/core/worker';

declare const self: WebWorkerScope;
declare const Deno: { memoryUsage(): { heapUsed: number } };
declare const process: { getBuiltinModule(id: string): unknown };

runLockedWorker(self, {
  // Deno.memoryUsage().heapUsed is this worker's own isolate.
  memory: () => Deno.memoryUsage().heapUsed,
  // Deno's Node layer loads at a task's first progress() or signal() (~10 ms, once), or at the
  // first heap read over `maxMemoryPerChild`, not with every worker.
  collectGarbage: fullCollector((id) => process.getBuiltinModule(id)),
  unitStore: () => {
    const { AsyncLocalStorage } = process.getBuiltinModule('node:async_hooks') as { AsyncLocalStorage: new () => UnitStore };
    return new AsyncLocalStorage();
  },
});
