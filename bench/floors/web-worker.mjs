// Bare Web Worker (Deno and Bun): answer each message with the task's result.
import { runOp } from './ops.mjs';

self.onmessage = (event) => self.postMessage(runOp(event.data));
