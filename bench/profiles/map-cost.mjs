// What a big map costs the whole process: W4's map (`inc` over a million integers, Python's
// default chunks, pool of 2 on worker threads) run `rounds` times in one pool, each round's wall
// time beside its page faults and user and system CPU (all threads), from
// `process.resourceUsage()`. Round 0 is the cold one W4 measures. On the 2-core VM a page fault
// costs ~10 µs, so a fresh 8 MB array is ~30 ms of it (bench/README.md, "Numbers packed both ways").
//   node profiles/map-cost.mjs [rounds=3] [items=1000000]      (from bench/)
import { Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

const rounds = Number(process.argv[2] ?? 3);
const length = Number(process.argv[3] ?? 1_000_000);
const pool = new Pool({ adapter: nodeWorkers(), processes: 2, module: new URL('../tasks/tasks.mjs', import.meta.url).href });
// As the harness warms up (lib/micro.mjs): workers started, the call path compiled, no map yet.
await Promise.all(Array.from({ length: 100 }, (_, i) => pool.apply('inc', [i])));
await Promise.all(Array.from({ length: 4 }, () => pool.apply('fib', [20])));
for (let round = 0; round < rounds; round++) {
  const items = Array.from({ length }, (_, i) => i);
  const before = process.resourceUsage();
  const t0 = performance.now();
  const values = await pool.map('inc', items);
  const ms = performance.now() - t0;
  const after = process.resourceUsage();
  if (values.length !== length || values[length - 1] !== length) throw new Error('wrong result');
  const cpu = (key) => ((after[key] - before[key]) / 1000).toFixed(0);
  console.log(`round ${round}: ${ms.toFixed(1)} ms, ${after.minorPageFault - before.minorPageFault} page faults, user ${cpu('userCPUTime')} ms, system ${cpu('systemCPUTime')} ms`);
}
await pool.close();
