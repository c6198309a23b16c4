// poolifier-web-worker's worker: its browser build, then the shared tasks, one task function each.
// 0.5.15 tells a browser by `window`, which a worker does not have, and throws "Unsupported
// JavaScript runtime environment" in every worker: window-shim.mjs (imported first) defines it.
import './window-shim.mjs';
import { ThreadWorker } from '../../node_modules/poolifier-web-worker/browser/mod.js';
import { fib, inc, incChunk, noop } from '../tasks/tasks.mjs';

export default new ThreadWorker({ inc, noop, fib, incChunk });
