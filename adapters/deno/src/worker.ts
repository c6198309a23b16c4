/**
 * The Deno worker entry: core's locked worker loop over `self` (see `superviseWebWorker`).
 * @module
 */
import { runLockedWorker, type WebWorkerScope } from '@pool/core/worker';

declare const self: WebWorkerScope;
declare const Deno: { memoryUsage(): { heapUsed: number } };

// Deno.memoryUsage().heapUsed is this worker's own isolate.
runLockedWorker(self, { memory: () => Deno.memoryUsage().heapUsed });
