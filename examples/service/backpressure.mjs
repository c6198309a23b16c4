import { Pool, QueueFullError } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

const pool = new Pool({ adapter: nodeWorkers(), module: new URL('./tasks.mjs', import.meta.url), maxQueue: 100 });

// A producer: wait for room before each call, so the queue (and memory) stays bounded.
let done = 0;
for (let i = 0; i < 5_000; i++) {
  await pool.ready();
  pool.applyAsync('checksum', [1_000], { callback: () => done++ });
}

// A request handler: shed load instead of waiting.
function handle(size) {
  try {
    return { status: 200, body: pool.applyAsync('checksum', [size]) };
  } catch (error) {
    if (error instanceof QueueFullError) return { status: 503 };
    throw error;
  }
}
const answers = Array.from({ length: 300 }, () => handle(1e5));
console.log(answers.some((answer) => answer.status === 503)); // true: 100 queued, the rest refused
await Promise.all(answers.map((answer) => answer.body));
pool.close();
await pool.join();
console.log(done); // 5000
