// `npm run demo`: count the primes below 6 million serially and on every adapter this machine
// has, and print wall time and speedup. Node's adapters run here; Deno's and Bun's run under
// their own runtimes (see demo.deno.ts, demo.bun.ts) and report back as JSON.
import { availableParallelism, cpus } from 'node:os';
import { inline } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';
import { runDemo, table } from './demo-run.mjs';

const write = (s) => process.stdout.write(s);
const adapters = [
  { name: 'nodeWorkers', make: () => nodeWorkers() },
  { name: 'inline', make: () => inline() },
];
try {
  const { nodeProcesses } = await import('@pool/node-process');
  adapters.splice(1, 0, { name: 'nodeProcesses', make: () => nodeProcesses() });
} catch {
  // Not built: the demo runs what this checkout has.
}

console.log(`@pool demo: primes below 6,000,000 in 64 ranges, on ${availableParallelism()} cores (${cpus()[0]?.model.trim()})\n`);
console.log(`Node ${process.version}`);
const rows = await runDemo({ runtime: `node ${process.version}`, adapters, write, tty: Boolean(process.stdout.isTTY) });
console.log(`\n${table(rows)}`);
