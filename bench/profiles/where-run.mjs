// Runs W1 for one contestant and has `perf` sample the process (and its children) during the
// measured window only: `<runtime> profiles/where-run.mjs <contestant> <perf.data> [cold|warm]`.
// `cold` is W1 as the bench measures it (the first 20,000 calls after 100 warm-up ones); `warm`
// samples the sixth batch of 20,000 on the same pool. Used by profiles/where.mjs.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import process from 'node:process';
import { byId } from '../lib/contestants.mjs';
import { check, warm } from '../lib/micro.mjs';
import { sizes } from '../lib/workloads.mjs';

const [id, out, phase = 'cold'] = globalThis.Deno ? Deno.args : process.argv.slice(2);
const contestant = byId.get(id);
const driver = await import(contestant.driverUrl ?? `../drivers/${contestant.driver}`);
const factory = await driver.load(contestant.options ?? {}, { tasksUrl: new URL('../tasks/tasks.mjs', import.meta.url) });
const pool = factory(sizes.processes);
await warm(pool);

const batch = async () => {
  const pending = new Array(sizes.w1Tasks);
  for (let i = 0; i < sizes.w1Tasks; i++) pending[i] = pool.call('inc', i);
  const values = await Promise.all(pending);
  check(values[sizes.w1Tasks - 1] === sizes.w1Tasks, 'W1');
};
if (phase === 'warm') for (let i = 0; i < 5; i++) await batch();

/** This process and every process it started (process pools' children). */
function tree(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      children.set(ppid, [...(children.get(ppid) ?? []), name]);
    } catch {}
  }
  const all = [String(root)];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
  return all;
}

const pids = tree(process.pid);
const perf = spawn('perf', ['record', '-q', '-F', '1999', '-p', pids.join(','), '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
// perf attaches asynchronously: the window opens once its data file has a header.
while (!existsSync(out) || statSync(out).size === 0) await new Promise((resolve) => setTimeout(resolve, 20));
const t0 = performance.now();
await batch();
const ms = performance.now() - t0;
perf.kill('SIGINT');
await new Promise((resolve) => perf.on('exit', resolve));
console.log(JSON.stringify({ id, phase, pids, rate: sizes.w1Tasks / (ms / 1000) }));
await pool.close();
process.exit(0);
