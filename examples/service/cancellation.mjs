import { AbortError, Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

// A cancelled task gets 2 s to stop on its own (its signal() aborts) before its worker is stopped.
const pool = new Pool({ adapter: nodeWorkers(), module: new URL('./tasks.mjs', import.meta.url), processes: 1, cancelGrace: 2_000 });
const controller = new AbortController();
const query = pool.apply('slowQuery', [60_000], { signal: controller.signal });
setTimeout(() => controller.abort(), 100);
try {
  await query;
} catch (error) {
  console.log(error instanceof AbortError); // true
}
console.log(await pool.apply('slowQuery', [10]), pool.metrics().exits.length); // done 0: the worker was kept
await pool.terminate();
