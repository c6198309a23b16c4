import { Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

const pool = new Pool({
  adapter: nodeWorkers(),
  module: new URL('./tasks.mjs', import.meta.url),
  processes: 2,
  metrics: true, // record each task's wait and run time
});
pool.addEventListener('workerexit', ({ detail }) => console.log('worker', detail.worker, 'left:', detail.reason));
pool.addEventListener('callsettle', ({ detail }) => detail.ms > 1_000 && console.warn('slow call', detail.ms));

const rows = await pool.apply('importRows', [1_000], {
  onProgress: ({ row, of }) => console.log(`imported ${row}/${of}`),
});
await pool.map('checksum', Array(20).fill(1e5));
const { units, workers } = pool.metrics();
console.log(rows, units.run.count, units.wait.p99 >= 0, workers.length); // 1000 8 true 2 (a map chunk is one unit)
pool.close();
await pool.join(); // prints "worker 1 left: closed", "worker 2 left: closed"
