/**
 * Count the primes below 2,000,000 serially, then on a pool of Bun workers, and print the
 * speedup. Run it as it is, from the repository (after `npm ci && npm run build`):
 *
 *   bun examples/bun.ts                     # or node_modules/.bin/bun
 *   bun examples/bun.ts --json              # the demo's rows as JSON lines, for `npm run demo`
 *
 * Outside this repository, `bun add @pool/core @pool/bun` (see adapters/bun/README.md).
 */
import { inline, Pool } from '@pool/core';
import { bunWorkers } from '@pool/bun';
import { countPrimes } from './primes.mjs';

const runtime = `bun ${Bun.version}`;
const adapters = [{ name: 'bunWorkers', make: () => bunWorkers() }, { name: 'inline', make: () => inline() }];

if (process.argv.includes('--json')) {
  // `npm run demo` collects these rows into its one table of runtime × adapter × speedup.
  const { runDemo } = await import('./demo-run.mjs');
  for (const row of await runDemo({ runtime, adapters })) console.log(JSON.stringify(row));
} else {
  const limit = 2_000_000;
  const processes = navigator.hardwareConcurrency;
  // 4 ranges per worker, as Python's default chunking would cut them: even load, few messages.
  const step = Math.ceil(limit / (4 * processes));
  const ranges = Array.from({ length: Math.ceil(limit / step) }, (_, i) => [i * step, Math.min(limit, (i + 1) * step)]);

  let started = performance.now();
  const expected = countPrimes(0, limit);
  const serialMs = performance.now() - started;
  console.log(`${runtime}: ${expected} primes below ${limit.toLocaleString('en')}; serial ${serialMs.toFixed(0)} ms`);

  for (const { name, make } of adapters) {
    // `await using` terminates the pool at the end of the block, like Python's `with Pool() as p`.
    await using pool = new Pool<typeof import('./primes.mjs')>({ adapter: make(), module: new URL('./primes.mjs', import.meta.url), processes });
    await pool.apply('countPrimes', [0, 10]); // start-up is not part of the race
    started = performance.now();
    const counts = await pool.map('countRange', ranges, { chunksize: 1 });
    const poolMs = performance.now() - started;
    const total = counts.reduce((a, b) => a + b, 0);
    if (total !== expected) throw new Error(`${name} counted ${total} primes, expected ${expected}`);
    console.log(`${name.padEnd(12)} ${processes} workers: ${poolMs.toFixed(0).padStart(6)} ms  ×${(serialMs / poolMs).toFixed(2)}`);
  }
}
