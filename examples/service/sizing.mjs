import { Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

// No worker until the first request; up to 4 under load; back to 0 after 200 ms idle.
const pool = new Pool({
  adapter: nodeWorkers(),
  module: new URL('./tasks.mjs', import.meta.url),
  minProcesses: 0,
  maxProcesses: 4,
  idleTimeout: 200,
});
console.log(pool.stats().workers); // 0
const sums = await Promise.all(Array.from({ length: 8 }, () => pool.apply('checksum', [1e6])));
console.log(sums.length, pool.stats().maxProcesses); // 8 4
await new Promise((resolve) => setTimeout(resolve, 1_000));
console.log(pool.stats().workers); // 0 again: idle workers were retired
await pool.terminate();
