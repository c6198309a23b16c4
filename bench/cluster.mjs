// npm run bench, part 2: @pool/bullmq on loopback beside a bare-BullMQ floor (add / process /
// result, no pool). Starts its own redis-server and pool-worker hosts; skipped without redis-server.
//   W1 tiny tasks at once (tasks/s) vs the floor's addBulk+process rate; W2 sequential round trip
//   (µs/call); W3 32 × fib(27) on two hosts of one worker (speedup over serial); W4 map of 1M
//   integers, two hosts (items/s) beside a local nodeWorkers pool; W2 again on inline hosts
//   (`--executor inline`, no hop to a worker thread); recovery after a host SIGKILL.
// The floor's worker runs in this process, as BullMQ's own examples do (the ratios' reference);
// a second W2 floor runs the same worker in a process of its own, as hosts are, to show how much
// of the gap is the process boundary on this machine rather than @pool.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from '@pool/core';
import { bullmq } from '@pool/bullmq';
import { nodeWorkers } from '@pool/node-worker';
import { startFloorWorker, startFloorWorkerProcess } from './lib/bullmq-floor.mjs';
import { hasRedisServer, startHosts, startRedis } from '../adapters/bullmq/test/cluster.mjs';
import { fib } from './tasks/tasks.mjs';

if (!hasRedisServer()) {
  console.log('\n@pool/bullmq bench: redis-server not installed: NOT run (apt-get install -y redis-server)');
  process.exit(0);
}
const tasks = new URL('./tasks/tasks.mjs', import.meta.url).pathname;
const W1 = 5_000;
const W2 = 500;
const redis = await startRedis();
const connect = () => new Redis(redis.url, { maxRetriesPerRequest: null });
const rows = [];
const row = (name, value, unit, note = '') => {
  rows.push({ name, value, unit, note });
  console.error(`  ${name.padEnd(44)} ${value.toPrecision(4)} ${unit} ${note}`);
};

/** A bare floor's W2: 50 warm-up round trips, then W2 timed ones (add, process, BLPOP); µs each. */
async function roundTrips(queue, reader, key) {
  const once = async (x) => {
    await queue.add('u', { x }, { removeOnComplete: true });
    await reader.blpop(key, 5);
  };
  for (let i = 0; i < 50; i++) await once(i);
  const t = performance.now();
  for (let i = 0; i < W2; i++) await once(i);
  return ((performance.now() - t) * 1000) / W2;
}

// ---- floor: bare BullMQ, the processor squares inline and pushes the result to a list ----------
{
  const { queue, pusher, reader, worker } = await startFloorWorker(connect);
  row('floor W2 round trip (add, process, BLPOP)', await roundTrips(queue, reader, 'floor:out'), 'µs/call');
  const t = performance.now();
  await queue.addBulk(Array.from({ length: W1 }, (_, i) => ({ name: 'u', data: { x: i }, opts: { removeOnComplete: true } })));
  let got = 0;
  while (got < W1) got += ((await reader.blpop('floor:out', 5)) ? 1 : 0) + (((await reader.lpop('floor:out', 1000)) ?? []).length);
  row('floor W1 addBulk + process + results', W1 / ((performance.now() - t) / 1000), 'tasks/s');
  await worker.close();
  await queue.close();
  for (const c of [pusher, reader]) c.disconnect();
}

// ---- the same W2 floor, its worker in a process of its own --------------------------------------
{
  const child = await startFloorWorkerProcess(redis.url);
  const queue = new Queue('floor2', { connection: connect() });
  const reader = connect();
  row('floor W2, worker in its own process', await roundTrips(queue, reader, 'floor2:out'), 'µs/call');
  child.kill();
  await queue.close();
  reader.disconnect();
}

/** A pool's W2: 50 warm-up calls, then W2 timed sequential ones; µs each. */
async function poolRoundTrips(p) {
  for (let i = 0; i < 50; i++) await p.apply('inc', [i]);
  const t = performance.now();
  for (let i = 0; i < W2; i++) await p.apply('inc', [i]);
  return ((performance.now() - t) * 1000) / W2;
}

// ---- @pool/bullmq ---------------------------------------------------------------------------
const hosts = await startHosts(2, { url: redis.url, group: 'bench', module: tasks, concurrency: 1 });
const pool = (processes) => new Pool({ adapter: bullmq({ connection: redis.url, group: 'bench' }), module: 'tasks.mjs', processes });
{
  const p = pool(2);
  row('bullmq() W2 round trip', await poolRoundTrips(p), 'µs/call');
  await p.terminate();
  const wide = pool(256);
  await wide.apply('inc', [1]);
  let t = performance.now();
  await Promise.all(Array.from({ length: W1 }, (_, i) => wide.apply('inc', [i])));
  row('bullmq() W1 tiny tasks at once (256 in flight)', W1 / ((performance.now() - t) / 1000), 'tasks/s');
  await wide.terminate();

  const items = Array.from({ length: 1_000_000 }, (_, i) => i);
  const m = pool(8);
  await m.apply('inc', [1]);
  t = performance.now();
  const out = await m.map('inc', items);
  if (out[999_999] !== 1_000_000) throw new Error('W4 wrong');
  row('bullmq() W4 map 1M integers, 2 hosts', 1e6 / ((performance.now() - t) / 1000), 'items/s', '(default chunksize: 32 units)');
  await m.terminate();
  const local = new Pool({ adapter: nodeWorkers(), module: new URL('./tasks/tasks.mjs', import.meta.url), processes: 2 });
  await local.apply('inc', [1]);
  t = performance.now();
  await local.map('inc', items);
  row('nodeWorkers W4 map 1M integers (same run)', 1e6 / ((performance.now() - t) / 1000), 'items/s');
  await local.terminate();

  // Warmed as micro.mjs warms W3 (4 × fib(20) before each side), so that neither side's figure is
  // mostly its JIT's warm-up: 8 units here, to reach both hosts' workers.
  for (let i = 0; i < 4; i++) fib(20);
  t = performance.now();
  for (let i = 0; i < 32; i++) fib(27);
  const serial = performance.now() - t;
  const f = pool(4);
  await f.map('fib', Array.from({ length: 8 }, () => 20), { chunksize: 1 });
  t = performance.now();
  await f.map('fib', Array.from({ length: 32 }, () => 27), { chunksize: 1 });
  row('bullmq() W3 32 × fib(27), 2 hosts × 1 worker', serial / (performance.now() - t), '× speedup');
  await f.terminate();
}
await Promise.all(hosts.map((h) => h.stop()));

// ---- W2 again on hosts that run units on their own event loop (--executor inline) --------------
{
  const inlineHosts = await startHosts(2, { url: redis.url, group: 'bench-inline', module: tasks, concurrency: 1, args: ['--executor', 'inline'] });
  const p = new Pool({ adapter: bullmq({ connection: redis.url, group: 'bench-inline' }), module: 'tasks.mjs', processes: 2 });
  row('bullmq() W2 round trip, inline hosts', await poolRoundTrips(p), 'µs/call', '(--executor inline)');
  await p.terminate();
  await Promise.all(inlineHosts.map((h) => h.stop()));
}

// ---- recovery after a host SIGKILL (lock 2 s) -------------------------------------------------
{
  const pair = await startHosts(2, { url: redis.url, group: 'recovery', module: tasks, concurrency: 1, args: ['--lock-duration', '2000'] });
  const p = new Pool({ adapter: bullmq({ connection: redis.url, group: 'recovery' }), module: 'tasks.mjs', processes: 4 });
  const done = p.map('fib', Array.from({ length: 24 }, () => 25), { chunksize: 1, retries: 2 });
  while (p.stats().completed < 4) await new Promise((r) => setTimeout(r, 10));
  const before = p.stats().completed;
  const t = performance.now();
  await pair[0].stop('SIGKILL');
  await done;
  row('recovery: kill → map done (lock 2000 ms)', performance.now() - t, 'ms', `(${24 - before} units left at the kill)`);
  await p.terminate();
  await Promise.all(pair.map((h) => h.stop()));
}
await redis.stop();

const get = (prefix) => rows.find((r) => r.name.startsWith(prefix)).value;
console.log('\n### @pool/bullmq on loopback\n\n| measure | value |\n|---|--:|');
for (const r of rows) console.log(`| ${r.name} ${r.note} | ${r.value.toPrecision(4)} ${r.unit} |`);
console.log(`\nW2 ratio bullmq()/floor: ${(get('bullmq() W2') / get('floor W2 round')).toFixed(2)}× (target ≤ 1.25×; ` +
  `${(get('bullmq() W2') / get('floor W2, worker')).toFixed(2)}× the floor whose worker has its own process; ` +
  `inline hosts ${(get('bullmq() W2 round trip, inline') / get('floor W2 round')).toFixed(2)}× and ${(get('bullmq() W2 round trip, inline') / get('floor W2, worker')).toFixed(2)}×); ` +
  `W1 ratio bullmq()/floor: ${(get('bullmq() W1') / get('floor W1')).toFixed(2)}× (target ≥ 0.7×)`);
process.exit(0);
