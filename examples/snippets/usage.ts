// The README's "Usage" (TypeScript, or Deno and Bun): `await using` terminates the pool at the
// end of the scope. Run: `bun usage.ts`, or on Node `node --import tsx usage.ts`.
// #region readme
import { Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

function* naturals(): Generator<number> {
  for (let n = 1; ; n++) yield n;
}

await using pool = new Pool<typeof import('./tasks.js')>({
  adapter: nodeWorkers(),
  module: new URL('./tasks.js', import.meta.url),
  processes: 4,                       // default: the runtime's available parallelism
});

await pool.apply('square', [7]);                        // 49
await pool.map('square', [1, 2, 3]);                    // [1, 4, 9] — typed number[]
await pool.starmap((a: number, b: number) => a * b, [[2, 3], [4, 5]]);  // [6, 20]
for await (const y of pool.imap('square', naturals())) { if (y > 1e6) break; }  // lazy, infinite OK
// #endregion

console.log(await pool.apply('square', [7]), await pool.map('square', [1, 2, 3]));
