/**
 * @pool/core — Python's `multiprocessing.Pool` for JavaScript, on any runtime.
 *
 * The pool, its results and errors, the adapter seam, the worker loop adapters run, and the
 * `inline()` adapter. Pair it with an adapter package: `@pool/node-worker`, `@pool/node-process`,
 * `@pool/deno`, `@pool/bun`, `@pool/web` or `@pool/bullmq`.
 * @module
 */
export { Pool } from './pool.js';
export { AsyncResult, type ResultCallbacks } from './results.js';
export { inline, type InlineOptions } from './inline.js';
export { runWorker } from './worker-loop.js';
export { MaybeEncodingError, WorkerExitError, BrokenPoolError, TerminatedError, PoolStateError } from './errors.js';
export { TimeoutError, TaskNotFoundError, DataCloneError, AbortError, PoolError, QueueFullError } from './errors.js';
export { registerError, type ErrorClass } from './serialize-error.js';
export { PoolEvent, type PoolEventListener, type PoolEventMap, type PoolEventType, type CallHandle } from './events.js';
export type { ExitReason, Percentiles, PoolMetrics, WorkerExitRecord, WorkerFigures } from './metrics.js';
export type { Adapter, Supports, UnitStore, WorkerEvents, WorkerExit, WorkerHandle, WorkerPort } from './adapter.js';
export type { QueueAdapter } from './executor.js';
export { execArgvLoadsTypeScript, hostLoadsTypeScript } from './runtime.js';
export { workerLoopUrl } from './module-url.js';
export { adapterOptions, stringList } from './validate.js';
export { superviseWebWorker, lifeLockName, type WebWorkerLike } from './liveness.js';
export { protocolVersion, TaskKind, type FromWorker, type InitStage, type TaskMessage, type TaskRef, type ToWorker } from './protocol.js';
export type { PackedNumbers } from './segments.js';
export { serializeError, deserializeError, type SerializedError } from './serialize-error.js';
export type {
  AbortSignalLike, AnyFunction, AnyTasks, ApplyOptions, CallOptions, ImapOptions, MapAsyncOptions, MapOptions, PoolOptions, PoolState,
  PoolStats, TaskArgs, TaskFunction, TaskModule, TaskName, TaskResult, Task, TaskParam, ArgsOf, ResultOf, ApplyRest, ItemOf, Items, NeedsStarmap,
} from './types.js';
