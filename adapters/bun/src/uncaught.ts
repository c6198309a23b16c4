/** Worker → pool: `[uncaughtTag, serializedError]`, what killed the worker (see worker.ts). */
export const uncaughtTag = '@pool/bun:uncaught';
