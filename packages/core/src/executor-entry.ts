/**
 * @pool/core/executor — the adapter author's API for transports that are not one channel per
 * worker: a shared queue that remote hosts pull from. Implement {@link QueueAdapter}: its
 * `open(init, host)` returns an {@link Executor} that takes the pool's {@link TaskUnit}s and
 * answers each once through `unit.settle()`, in any order. Everything else — the state machine,
 * the job cache, results, chunking, cancellation, errors — stays the pool's.
 * @module
 */
export type { Executor, ExecutorCounts, ExecutorHost, PoolInit, QueueAdapter, WorkerLifecycle } from './executor.js';
export type { PoolMetrics, WorkerExitRecord } from './metrics.js';
export type { Adapter, Supports } from './adapter.js';
export { TaskUnit, type Call, type Deadline, type Job } from './job.js';
export { Queue } from './queue.js';
export { UnitQueue } from './unit-queue.js';
export { explainCloneError } from './hints.js';
export { maxTimerMs } from './timers.js';
export { protocolVersion, TaskKind, type TaskMessage, type TaskRef } from './protocol.js';
export { isPacked, packNumbers, type PackedNumbers } from './segments.js';
export { serializeError, deserializeError, describe, type SerializedError } from './serialize-error.js';
