/**
 * What `dist/worker.js` is built from (ES modules): every module a worker loads, in one file,
 * since each module file costs a worker time at start-up. The pool's own entries (`index.js`,
 * `executor.js`) import these modules from that same file, so a worker and a task module that
 * imports `@pool/core` share one copy of each class and of the error registry. The public types
 * of `@pool/core/worker` are still `worker.ts`'s; the other exports here are for the pool side.
 * The build (`tsup.config.ts`) fails if the pool side needs a name this file does not export.
 * @module
 */
export * from './worker.js';
export * from './batching.js';
export * from './errors.js';
export * from './hints.js';
export * from './protocol.js';
export * from './recall.js';
export * from './segments.js';
export * from './serialize-error.js';
export * from './timers.js';
export * from './task-context.js';
export * from './worker-answers.js';
export * from './worker-loop.js';
export * from './worker-queue.js';
export * from './worker-liveness.js';
