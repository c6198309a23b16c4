/**
 * Count the primes below 10,000,000 serially, then on a pool of Deno workers, and print the
 * speedup. Run it from the repository (after `npm ci && npm run build`):
 *
 *   deno run -A examples/deno.ts            # or node_modules/.bin/deno
 *   deno run -A examples/deno.ts --json     # the demo's rows as JSON lines, for `npm run demo`
 *
 * Outside this repository, import `npm:@pool/core` and `npm:@pool/deno` (see adapters/deno/README.md).
 */
import { inline, Pool } from '@pool/core';
import { denoWorkers } from '@pool/deno';
import { runEntry } from './demo-run.mjs';

// The API in three lines: `await using` terminates the pool at the end of the scope.
{
  await using pool = new Pool<typeof import('./primes.mjs')>({ adapter: denoWorkers(), module: new URL('./primes.mjs', import.meta.url) });
  console.log('primes below 100:', await pool.apply('countPrimes', [0, 100]));
}

const encoder = new TextEncoder();
await runEntry({
  runtime: `deno ${Deno.version.deno}`,
  adapters: [{ name: 'denoWorkers', make: () => denoWorkers() }, { name: 'inline', make: () => inline() }],
  json: Deno.args.includes('--json'),
  write: (text: string) => Deno.stdout.writeSync(encoder.encode(text)),
});
