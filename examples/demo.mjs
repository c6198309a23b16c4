// `npm run demo`: count the primes below 10 million serially and on every adapter this machine
// has, and print wall time and speedup. Node's adapters run here; Deno's and Bun's run under
// their own runtimes (examples/deno.ts and examples/bun.ts with --json) and report back rows.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { inline } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { progress, runDemo, table } from './demo-run.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const write = (s) => process.stdout.write(s);
const tty = Boolean(process.stdout.isTTY);

console.log(`@pool demo: the primes below 10,000,000, in 64 ranges, on ${availableParallelism()} cores (${cpus()[0]?.model.trim()})`);
console.log('Each pool is timed from its creation: starting workers is part of the cost. inline() runs on this');
console.log('thread, so ≈1× is its right figure: it is the no-isolation baseline, not a parallel adapter.\n');

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

/**
 * Runs another runtime's demo entry, which prints JSON lines: progress, then one row per run.
 * Progress is drawn here as it comes, with the time since that runtime started.
 */
function runUnder(label, binary, args) {
  const path = `${root}node_modules/.bin/${binary}`;
  if (!existsSync(path)) {
    console.log(`\n${label}: not installed (${path}), skipped`);
    return Promise.resolve([]);
  }
  console.log(`\n${label} (starting ${binary}…)`);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(path, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const found = [];
    let pending = '';
    let version;
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const message = JSON.parse(line);
        if (message.progress) progress(write, tty, message.adapter, message.done, message.total, message.ms);
        else found.push(message);
        if (!version && message.runtime) version = message.runtime;
      }
    });
    child.on('close', (code) => {
      if (code !== 0) console.log(`  ${label} exited with code ${code}`);
      console.log(`  ${label}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
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
