// Where W6's memory goes: runs W6 (imap over BENCH_W6_ITEMS items, chunksize 1000, 2 workers)
// on one contestant and samples, every 50 ms, the host's heap (v8 spaces) and RSS and every
// descendant's RSS split into anonymous and file-backed pages, and its thread count. Prints
// the samples at the host's and the tree's peak, and each process's VmHWM at the end.
//   node bench/profiles/w6-memory.mjs <nodeProcesses|nodeWorkers|inline|floor-fork|floor-thread>
// (inline() never lets the 50 ms timer run mid-imap: there, only the first and last samples and VmHWM count.)
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import v8 from 'node:v8';
import { byId } from '../lib/contestants.mjs';

const id = process.argv[2] ?? 'nodeProcesses';
const total = Number(process.env.BENCH_W6_ITEMS ?? 10_000_000);
const contestant = byId.get(id);
const tasksUrl = new URL('../tasks/tasks.mjs', import.meta.url);
const driver = await import(contestant.driverUrl ?? `../drivers/${contestant.driver}`);
const factory = await driver.load(contestant.options ?? {}, { tasksUrl });

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};
const field = (status, name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) / 1024;
function children(pid) {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(name));
  }
  return found;
}
const proc = (pid) => {
  const s = read(`/proc/${pid}/status`);
  return { rss: field(s, 'VmRSS'), anon: field(s, 'RssAnon'), file: field(s, 'RssFile'), hwm: field(s, 'VmHWM'), threads: field(s, 'Threads') * 1024 };
};
const mb = (x) => Math.round(x / 2 ** 20);
function sample() {
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name.replace('_space', ''), mb(s.space_size)]));
  const m = process.memoryUsage();
  const kids = children(process.pid).map((pid) => ({ pid, ...proc(pid) }));
  const host = proc(process.pid);
  return { t: Math.round(performance.now() - t0), host: { ...host, heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), ab: mb(m.arrayBuffers), spaces }, kids, tree: host.rss + kids.reduce((a, k) => a + k.rss, 0) };
}

const pool = factory(2);
await pool.call('inc', 1);
await pool.call('inc', 1);
function* integers(n) {
  for (let i = 0; i < n; i++) yield i;
}
/** As the harness, for the floors: chunks of 1000 (incChunk), 8 in flight. */
async function* chunked(call, source, size, ahead) {
  const inFlight = [];
  let done = false;
  const fill = () => {
    while (!done && inFlight.length < ahead) {
      const chunk = [];
      for (let step = source.next(); ; step = source.next()) {
        if (step.done) {
          done = true;
          break;
        }
        chunk.push(step.value);
        if (chunk.length === size) break;
      }
      if (chunk.length > 0) inFlight.push(call('incChunk', chunk));
    }
  };
  fill();
  while (inFlight.length > 0) {
    const values = await inFlight.shift();
    fill();
    yield* values;
  }
}
const samples = [];
const t0 = performance.now();
const timer = setInterval(() => samples.push(sample()), 50);
samples.push(sample());
let sum = 0;
let count = 0;
const results = pool.imap ? pool.imap('inc', integers(total), 1000) : chunked(pool.call, integers(total), 1000, 8);
for await (const value of results) {
  sum += value;
  count++;
}
clearInterval(timer);
const seconds = (performance.now() - t0) / 1000;
const end = sample();
const byHost = samples.reduce((a, s) => (s.host.rss > a.host.rss ? s : a));
const byTree = samples.reduce((a, s) => (s.tree > a.tree ? s : a));
console.log(JSON.stringify({ id, rate: Math.round(total / seconds), ok: count === total && sum === (total * (total + 1)) / 2, load: loadavg()[0].toFixed(2) }));
console.log('first  ', JSON.stringify(samples[0]));
console.log('hostpk ', JSON.stringify(byHost));
console.log('treepk ', JSON.stringify(byTree));
console.log('end    ', JSON.stringify(end));
console.log('hwm    ', JSON.stringify({ host: end.host.hwm, kids: end.kids.map((k) => k.hwm), tree: end.host.hwm + end.kids.reduce((a, k) => a + k.hwm, 0) }));
await pool.close();
