// The README's "Usage" in plain JavaScript on Node 20 and 22, where `await using` is a
// SyntaxError: try/finally does the same. Run: `node usage.mjs`.
// #region readme
import { Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

const pool = new Pool({ adapter: nodeWorkers(), module: new URL('./tasks.js', import.meta.url) });
try {
  console.log(await pool.apply('square', [7]));         // 49
  console.log(await pool.map('square', [1, 2, 3]));     // [ 1, 4, 9 ]
} finally {
  await pool.terminate();
}
// #endregion
