/**
 * Count the primes below 2,000,000 serially, then on a pool of Bun workers, and print the
 * speedup. Run it as it is, from the repository (after `npm ci && npm run build`):
 *
 *   bun examples/bun.ts                     # or node_modules/.bin/bun
 *   bun examples/bun.ts --json              # one JSON line per adapter, for `npm run demo`
 *
 * Outside this repository, `bun add @pool/core @pool/bun` (see adapters/bun/README.md).
 */
import { inline, Pool } from '@pool/core';
import { bunWorkers } from '@pool/bun';
import { countPrimes } from './primes.mjs';

const limit = 2_000_000;
const processes = navigator.hardwareConcurrency;
// 4 ranges per worker, as Python's default chunking would cut them: even load, few messages.
const step = Math.ceil(limit / (4 * processes));
const ranges = Array.from({ length: Math.ceil(limit / step) }, (_, i) => [i * step, Math.min(limit, (i + 1) * step)]);

let started = performance.now();
const expected = countPrimes(0, limit);
const serialMs = performance.now() - started;

const rows = [];
for (const [name, adapter] of [['bunWorkers', bunWorkers()], ['inline', inline()]] as const) {
  // `await using` terminates the pool at the end of the block, like Python's `with Pool() as p`.
  await using pool = new Pool<typeof import('./primes.mjs')>({ adapter, module: new URL('./primes.mjs', import.meta.url), processes });
  await pool.apply('countPrimes', [0, 10]); // start-up is not part of the race
  started = performance.now();
  const counts = await pool.map('countRange', ranges, { chunksize: 1 });
  const poolMs = performance.now() - started;
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== expected) throw new Error(`${name} counted ${total} primes, expected ${expected}`);
  rows.push({ runtime: `bun ${Bun.version}`, adapter: name, processes, serialMs, poolMs, speedup: serialMs / poolMs });
}

if (process.argv.includes('--json')) for (const row of rows) console.log(JSON.stringify(row));
else {
  console.log(`${expected} primes below ${limit.toLocaleString('en')}; serial: ${serialMs.toFixed(0)} ms`);
  for (const r of rows) console.log(`${r.adapter.padEnd(12)} ${r.processes} workers: ${r.poolMs.toFixed(0).padStart(6)} ms  ×${r.speedup.toFixed(2)}`);
}
