// Bursts of 20,000 `apply('inc', [i], options)` at once on a nodeWorkers pool of 2, where every
// call has options: its own `{ timeout }`, or one `signal` shared by all, or none. Prints each
// shot's rate (the first after 100 warm-up calls). BENCH_BEFORE=<checkout> runs that tree's core
// too, interleaved.
//   node bench/profiles/options-burst.mjs [timeout|signal|none] [rounds=2]
// bench/README.md, "Calls with options", has what it showed.
import { nodeWorkers } from '@pool/node-worker';

const [mode = 'timeout', rounds = '2'] = process.argv.slice(2);
const now = new URL('../..', import.meta.url).pathname;
const before = process.env.BENCH_BEFORE;
// Alternates which tree goes first in each round: the first pool in a process runs colder.
const order = (round) => (before ? (round % 2 ? [['before', before], ['now', now]] : [['now', now], ['before', before]]) : [['now', now]]);
const tasks = new URL('../tasks/tasks.mjs', import.meta.url).pathname;

async function shots(root) {
  const { Pool } = await import(`${root}/packages/core/dist/index.js`);
  const pool = new Pool({ adapter: nodeWorkers(), module: tasks, processes: 2 });
  const signal = new AbortController().signal;
  const options = () => (mode === 'timeout' ? { timeout: 60_000 } : mode === 'signal' ? { signal } : undefined);
  try {
    for (let i = 0; i < 100; i++) await pool.apply('inc', [i], options());
    const rates = [];
    for (let shot = 0; shot < 4; shot++) {
      const t = performance.now();
      await Promise.all(Array.from({ length: 20_000 }, (_, i) => pool.apply('inc', [i], options())));
      rates.push(Math.round(20_000 / ((performance.now() - t) / 1000)));
    }
    return rates;
  } finally {
    await pool.terminate();
  }
}

for (let round = 0; round < Number(rounds); round++) {
  for (const [name, root] of order(round)) console.log(`${name.padEnd(6)} ${mode}: ${(await shots(root)).join(' ')} calls/s`);
}
