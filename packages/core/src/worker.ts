/**
 * @pool/core/worker — the worker side alone: what an adapter's worker entry imports. A small
 * bundle, so that every worker starts fast; the pool side stays in `@pool/core`.
 * @module
 */
export { runWorker } from './worker-loop.js';
export { hrtimeMs } from './worker-answers.js';
export { progress, signal } from './task-context.js';
export { registerError, serializeError, type ErrorClass } from './serialize-error.js';
export { runLockedWorker, type WebWorkerScope } from './worker-liveness.js';
export { fullCollector, type BuiltinModules } from './collector.js';
export type { UnitStore, WorkerPort } from './adapter.js';
export type { FromWorker, TaskMessage, TaskRef, ToWorker } from './protocol.js';
