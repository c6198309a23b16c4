// W3 on Bun, unit by unit: 32 × fib(27) on 2 `bunWorkers()`, warmed as W3 warms them, in one
// fresh pool per run. Per worker it prints the units it ran, the time in them, when it started
// and how long it sat idle at the end, and the gaps between its units; and the host thread's own
// CPU over the 32 calls (Linux's /proc/thread-self/schedstat), which the 2 cores share with the
// workers. The bare Bun floor posts all 32 units at once and does nothing more.
//   bun bench/profiles/w3-bun.mjs [runs=4]
// bench/README.md, "W3 on Bun" has what it showed.
import { readFileSync } from 'node:fs';
import { Pool } from '@pool/core';
import { bunWorkers } from '@pool/bun';

const runs = Number(process.argv[2] ?? 4);
const tasks = new URL('./w3-tasks.mjs', import.meta.url);
const now = () => performance.timeOrigin + performance.now();
const hostCpu = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;

for (let run = 0; run < runs; run++) {
  const pool = new Pool({ adapter: bunWorkers(), module: tasks, processes: 2 });
  await Promise.all(Array.from({ length: 100 }, (_, i) => pool.apply('inc', [i])));
  await Promise.all(Array.from({ length: 4 }, () => pool.apply('fib', [20])));
  const cpu0 = hostCpu();
  const t0 = now();
  const units = await Promise.all(Array.from({ length: 32 }, () => pool.apply('stampedFib', [27])));
  const t1 = now();
  const cpu = hostCpu() - cpu0;
  const byWorker = Map.groupBy(units, (unit) => unit.worker);
  const lines = [...byWorker.values()].map((ran) => {
    ran.sort((a, b) => a.start - b.start);
    const busy = ran.reduce((sum, unit) => sum + unit.end - unit.start, 0);
    const gaps = ran.slice(1).map((unit, i) => unit.start - ran[i].end);
    return `${ran.length} units, busy ${busy.toFixed(1)} ms, first at ${(ran[0].start - t0).toFixed(1)}, ` +
      `idle at the end ${(t1 - ran.at(-1).end).toFixed(1)}, gaps ${gaps.reduce((a, b) => a + b, 0).toFixed(1)} ms (max ${Math.max(...gaps).toFixed(2)})`;
  });
  console.log(`run ${run}: ${(t1 - t0).toFixed(1)} ms, host CPU ${cpu.toFixed(2)} ms | ${lines.join(' | ')}`);
  await pool.terminate();
}
