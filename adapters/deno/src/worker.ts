/**
 * The Deno worker entry: core's locked worker loop over `self` (see `superviseWebWorker`).
 * @module
 */
import { runLockedWorker, type WebWorkerScope } from '@pool/core/worker';

declare const self: WebWorkerScope;

runLockedWorker(self);
