/**
 * Count the primes below 10,000,000 serially, then on a pool of Bun workers, and print the
 * speedup. Run it from the repository (after `npm ci && npm run build`):
 *
 *   bun examples/bun.ts                     # or node_modules/.bin/bun
 *   bun examples/bun.ts --json              # the demo's rows as JSON lines, for `npm run demo`
 *
 * Outside this repository, `bun add @pool/core @pool/bun` (see adapters/bun/README.md).
 */
import { inline, Pool } from '@pool/core';
import { bunWorkers } from '@pool/bun';
import { runEntry } from './demo-run.mjs';

// The API in three lines: `await using` terminates the pool at the end of the scope.
{
  await using pool = new Pool<typeof import('./primes.mjs')>({ adapter: bunWorkers(), module: new URL('./primes.mjs', import.meta.url) });
  console.log('primes below 100:', await pool.apply('countPrimes', [0, 100]));
}

await runEntry({
  runtime: `bun ${Bun.version}`,
  adapters: [{ name: 'bunWorkers', make: () => bunWorkers() }, { name: 'inline', make: () => inline() }],
  json: process.argv.includes('--json'),
  write: (text: string) => process.stdout.write(text),
});
