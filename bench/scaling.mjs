// npm run bench -- --scaling: how time and memory grow with the work and with the pool. W4's
// shape (map `inc` over an array of integers, default chunksize) from 1 M to 10 M items on 2
// workers, and 1, 2, 4, 8 workers on 1 M items (this machine has 2 cores: 4 and 8 oversubscribe).
// Each cell is the median of BENCH_ROUNDS fresh processes; peak RSS counts the host and its children.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { byId } from './lib/contestants.mjs';
import { figure, megabytes } from './lib/format.mjs';
import { describeMachine, findRuntimes } from './lib/machine.mjs';
import { runOnce } from './lib/spawn.mjs';
import { buildStamp } from './lib/source.mjs';
import { summarize } from './lib/stats.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const ids = (process.env.BENCH_ONLY ?? 'nodeWorkers,nodeProcesses,floor-thread').split(',').filter((id) => byId.has(id));
const cells = [
  ...[1, 2, 5, 10].map((m) => ({ items: m * 1_000_000, processes: 2 })),
  ...[1, 4, 8].map((processes) => ({ items: 1_000_000, processes })),
].sort((a, b) => a.processes - b.processes || a.items - b.items);
const { versions, commands } = findRuntimes();
const machine = describeMachine(versions);
const loadBefore = os.loadavg();
const started = performance.now();
console.error(`@pool scaling: ${ids.length} contestants × ${cells.length} sizes × ${rounds} rounds`);

const samples = new Map();
for (let round = 0; round < rounds; round++) {
  for (const cell of cells) {
    for (const id of ids) {
      const env = { BENCH_W4_ITEMS: String(cell.items), BENCH_PROCESSES: String(cell.processes) };
      Object.assign(process.env, env);
      const result = await runOnce(commands, byId.get(id), 'W4');
      const key = `${id} ${cell.items} ${cell.processes}`;
      if (!samples.has(key)) samples.set(key, []);
      samples.get(key).push(result);
      console.error(`  round ${round + 1}/${rounds} ${String(cell.items / 1e6).padStart(2)}M items × ${cell.processes} workers ${id.padEnd(14)} ${result.seconds ? `${result.seconds.toFixed(2)} s, ${megabytes(result.rss)}` : JSON.stringify(result)}`);
    }
  }
}

const rows = [];
for (const id of ids) {
  for (const cell of cells) {
    const good = (samples.get(`${id} ${cell.items} ${cell.processes}`) ?? []).filter((r) => typeof r.seconds === 'number');
    if (good.length === 0) {
      rows.push({ id, ...cell, error: samples.get(`${id} ${cell.items} ${cell.processes}`)?.[0]?.error ?? 'no result' });
      continue;
    }
    const seconds = summarize(good.map((r) => r.seconds));
    rows.push({ id, ...cell, seconds, rate: cell.items / seconds.median, rss: summarize(good.map((r) => r.rss)).median, rssHost: summarize(good.map((r) => r.rssHost)).median });
  }
}

/** Relative to the same contestant's 1 M items on 2 workers. */
const base = (id) => rows.find((r) => r.id === id && r.items === 1_000_000 && r.processes === 2);
const lines = [
  '| contestant | items | workers | time ↓ | items/s ↑ | time ÷ (1 M, 2 workers) | peak RSS ↓ (host) |',
  '|---|--:|--:|--:|--:|--:|--:|',
  ...rows.map((r) => {
    if (r.error) return `| ${byId.get(r.id).label} | ${r.items / 1e6} M | ${r.processes} | failed: ${r.error} | | | |`;
    const b = base(r.id);
    const growth = b?.seconds ? `${(r.seconds.median / b.seconds.median).toFixed(2)}×` : '—';
    return `| ${byId.get(r.id).label} | ${r.items / 1e6} M | ${r.processes} | ${r.seconds.median.toFixed(2)} s ±${Math.round(r.seconds.spread * 100)}% | ${figure(r.rate)} | ${growth} | ${megabytes(r.rss)} (${megabytes(r.rssHost)}) |`;
  }),
];
const stamp = `${rounds} rounds in ${((performance.now() - started) / 60_000).toFixed(1)} min on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} after; @pool at ${buildStamp().commit}.`;
const table = `${lines.join('\n')}\n\nW4's map (\`inc\`, default chunksize ⌈n / 4·workers⌉), median of the rounds ± half the min–max range; peak RSS: the host and every process it started (VmHWM), host alone in brackets.\n\n${stamp}\n`;
writeFileSync(new URL('./results/scaling.md', import.meta.url), table);
writeFileSync(new URL('./results/scaling.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), machine, rounds, load: { before: loadBefore, after: os.loadavg() }, rows }, null, 2) + '\n');
console.log(`\n## @pool scaling\n\n${table}`);
