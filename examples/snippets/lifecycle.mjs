// The README's "Lifecycle": close, join, terminate. Run: `node lifecycle.mjs`.
import { Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

const pool = new Pool({ adapter: nodeWorkers(), module: new URL('./tasks.js', import.meta.url), processes: 2 });
const squares = pool.map('square', [1, 2, 3]);
// #region readme
pool.close();          // no new work; workers leave once every submitted call has settled
await pool.join();     // resolves once every worker has exited
await pool.terminate();  // stop now: every unfinished result rejects TerminatedError
// #endregion
console.log(await squares); // [ 1, 4, 9 ]: close() let the submitted map finish
