/** Worker → pool: "I called close()": the pool's side terminates the worker (see worker.ts). */
export const closing = '@pool/web:closing';

/** Worker → pool: `{ type: leftover, reason }`, an unhandled rejection (see worker.ts). */
export const leftover = '@pool/web:leftover';
