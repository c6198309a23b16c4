// What a process pool costs next to a worker-thread pool: startup (new Pool() to the first
// result) and round trip (one apply() at a time), on this machine. Needs the packages built.
//   node adapters/node-process/measure.mjs [rounds=7] [calls=2000]
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Pool } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';

const [rounds = 7, calls = 2000] = process.argv.slice(2).map(Number);
const module = new URL('./test/fixtures/tasks.mjs', import.meta.url);
const adapters = {
  nodeWorkers: () => nodeWorkers(),
  nodeProcesses: () => nodeProcesses(),
  'nodeProcesses({ watchParent: false })': () => nodeProcesses({ watchParent: false }),
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssMb = (pid) => Number(/^VmRSS:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const rows = [];
for (const [name, adapter] of Object.entries(adapters)) {
  const startups = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const pool = new Pool({ adapter: adapter(), module, processes: 1 });
    await pool.apply('identity', [0]);
    startups.push(performance.now() - started);
    await pool.terminate();
  }

  const pool = new Pool({ adapter: adapter(), module, processes: 1 });
  const childPid = await pool.apply('pid');
  const rss = childPid === process.pid ? null : rssMb(childPid); // idle, before any payload
  const trip = async (arg, n) => {
    for (let i = 0; i < Math.min(n, 200); i++) await pool.apply('identity', [arg]); // warm up
    const started = performance.now();
    for (let i = 0; i < n; i++) await pool.apply('identity', [arg]);
    return ((performance.now() - started) / n) * 1000;
  };
  const small = await trip(42, calls);
  const mb = await trip(new Uint8Array(2 ** 20), Math.ceil(calls / 10));
  await pool.terminate();
  rows.push({
    adapter: name,
    'startup ms (median)': median(startups).toFixed(1),
    'round trip µs (small)': small.toFixed(0),
    'round trip µs (1 MB)': mb.toFixed(0),
    'idle worker RSS MB': rss === null ? '(a thread)' : rss.toFixed(0),
  });
}
console.log(`node ${process.version}, ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)}; ${rounds} startups and ${calls} sequential calls per adapter, processes: 1`);
console.table(rows);
