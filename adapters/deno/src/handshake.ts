/**
 * The adapter's own two messages, exchanged before core's protocol starts. Core only sends
 * objects, so plain strings cannot be mistaken for its messages.
 * @module
 */

/** Worker → pool: "I hold my lock"; the pool may now watch it. */
export const HOLDING = '@pool/deno:holding';
/** Pool → worker: "I am watching"; the worker may now run user code, which may kill it. */
export const ACK = '@pool/deno:ack';
/** Prefix of each worker's lock name (and of its `name`). */
export const LOCK_PREFIX = '@pool/deno:';
