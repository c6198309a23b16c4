// The README's "Results, callbacks and waiting". Run: `node results.mjs`.
import { Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

const pool = new Pool({ adapter: nodeWorkers(), module: new URL('./tasks.js', import.meta.url), processes: 2 });
try {
  // #region readme
  const result = pool.applyAsync('square', [9], {
    callback: (value) => console.log('done', value),      // runs once, before the result settles
    errorCallback: (error) => console.error(error),
  });
  await result.wait(100);           // resolves after 100 ms or when ready, never rejects
  const value = await result.get(5_000);  // rejects TimeoutError if not ready in 5 s; the task goes on
  // #endregion
  if (value !== 81) throw new Error(`expected 81, got ${value}`);
} finally {
  await pool.terminate();
}
