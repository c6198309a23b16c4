import { Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

// Replace a worker whose heap passes 100 MB after a task, and every worker after an hour.
const pool = new Pool({
  adapter: nodeWorkers(),
  module: new URL('./tasks.mjs', import.meta.url),
  processes: 2,
  maxMemoryPerChild: 100,
  maxLifetime: 60 * 60 * 1000,
});
pool.addEventListener('workerstart', ({ detail }) => console.log('started worker', detail.worker));
pool.addEventListener('workerexit', ({ detail }) => console.log('retired worker', detail.worker, 'for', detail.reason));
await pool.apply('leak', [150]); // "started worker 1", "… 2", then "… 3": the replacement starts before worker 1 leaves
console.log(pool.stats().workers); // 3, for a moment
pool.close();
await pool.join(); // "retired worker 1 for memory"; the others leave "for closed" as the pool closes
