// How long it takes to cancel N queued calls at once, on a nodeWorkers pool of 2 whose workers are
// busy: `abort`, from one shared signal's `abort()` until every call has rejected; `timeout`, from
// the moment their 200 ms timeouts (all set within the same few ms) run out until every call has
// rejected. BENCH_BEFORE=<checkout> runs that tree's core too, alternating.
//   node bench/profiles/mass-cancel.mjs [abort|timeout] [N=5000,20000,40000] [rounds=2]
// bench/README.md, "Calls with options", has what it showed.
import { nodeWorkers } from '@pool/node-worker';

const [mode = 'abort', sizes = '5000,20000,40000', rounds = '2'] = process.argv.slice(2);
const now = new URL('../..', import.meta.url).pathname;
const before = process.env.BENCH_BEFORE;
const tasks = new URL('../../test/fixtures/tasks.mjs', import.meta.url).pathname;

async function abortAll(root, n) {
  const { Pool } = await import(`${root}/packages/core/dist/index.js`);
  const pool = new Pool({ adapter: nodeWorkers(), module: tasks, processes: 2 });
  const busy = new AbortController();
  const blockers = [0, 1].map(() => pool.apply('sleepThen', [60_000, 'never'], { signal: busy.signal }).catch(() => {}));
  while (pool.stats().busy < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  const controller = new AbortController();
  const options = mode === 'timeout' ? { timeout: 200 } : { signal: controller.signal };
  const t0 = performance.now();
  const calls = Array.from({ length: n }, (_, i) => pool.apply('square', [i], options).catch(() => {}));
  const t = mode === 'timeout' ? t0 + 200 : performance.now();
  controller.abort();
  await Promise.all(calls);
  const ms = performance.now() - t;
  busy.abort();
  await Promise.all(blockers);
  await pool.terminate();
  return ms;
}

for (let round = 0; round < Number(rounds); round++) {
  for (const [name, root] of before ? [['now', now], ['before', before]] : [['now', now]]) {
    const times = [];
    for (const n of sizes.split(',').map(Number)) times.push(`${n}: ${(await abortAll(root, n)).toFixed(0)} ms`);
    console.log(`${name.padEnd(6)} ${mode}: ${times.join(', ')}`);
  }
}
