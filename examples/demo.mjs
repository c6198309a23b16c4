// `npm run demo`: count the primes below 6 million serially and on every adapter this machine
// has, and print wall time and speedup. Node's adapters run here; Deno's and Bun's run under
// their own runtimes (examples/deno.ts and examples/bun.ts with --json) and report back rows.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { inline } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { runDemo, table } from './demo-run.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const write = (s) => process.stdout.write(s);
const tty = Boolean(process.stdout.isTTY);

console.log(`@pool demo: the primes below 10,000,000, in 64 ranges, on ${availableParallelism()} cores (${cpus()[0]?.model.trim()})`);
console.log('Each pool is timed from its creation: starting workers is part of the cost.\n');

console.log(`Node ${process.version}`);
const rows = await runDemo({
  runtime: `node ${process.version}`,
  adapters: [
    { name: 'nodeWorkers', make: () => nodeWorkers() },
    { name: 'nodeProcesses', make: () => nodeProcesses() },
    { name: 'inline', make: () => inline() },
  ],
  write,
  tty,
});

/** Runs another runtime's demo entry, which prints one JSON row per line. */
function runUnder(label, binary, args) {
  const path = `${root}node_modules/.bin/${binary}`;
  if (!existsSync(path)) {
    console.log(`\n${label}: not installed (${path}), skipped`);
    return Promise.resolve([]);
  }
  console.log(`\n${label} (running…)`);
  return new Promise((resolve) => {
    const child = spawn(path, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => {
      const found = out.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      if (code !== 0) console.log(`  ${label} exited with code ${code}`);
      for (const row of found) console.log(`  ${row.adapter.padEnd(14)} ${(row.ms / 1000).toFixed(2)} s`);
      resolve(found);
    });
  });
}

rows.push(...(await runUnder('Deno', 'deno', ['run', '-A', 'examples/deno.ts', '--json'])));
rows.push(...(await runUnder('Bun', 'bun', ['examples/bun.ts', '--json'])));

console.log(`\n${table(rows)}`);

// Beyond one machine: the same pool on two pool-worker hosts through a local redis-server.
console.log('\nBeyond one machine: @pool/bullmq with two local hosts (examples/cluster)');
await new Promise((resolve) => {
  const child = spawn(process.execPath, ['examples/cluster/main.mjs'], { cwd: root, stdio: 'inherit' });
  child.on('close', resolve);
});
