// W2 of bench/cluster.mjs alone, A/B: bullmq() of one or more built checkouts beside three bare-BullMQ
// floors and BullMQ's own request/response (add, then waitUntilFinished), interleaved round by round (the order shuffled each round) on one redis-server, so a
// shared machine's load falls on every contestant alike. Prints each contestant's median µs/call
// and the median of its per-round ratio to the floor, with the load average before and after.
// --w1 and --w4 add bench/cluster.mjs's W1 and a fifth of its W4 per tree (their ratio columns mean nothing).
//   node cluster-w2.mjs [--rounds 7] [--calls 500] [--hosts 2] [--concurrency 1] [--executor threads[,inline,...]] [tree[:NAME=VALUE,...] ...]
// With several executors, each tree runs once per executor (hosts of its own for each).
// Each tree is a checkout's root, built (default: this one). Its hosts are its own pool-worker,
// with the environment variables after ':' if any (to compare a setting on one tree).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { startFloorWorker, startFloorWorkerProcess } from './lib/bullmq-floor.mjs';
import { hasRedisServer, startRedis } from '../adapters/bullmq/test/cluster.mjs';

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '7' }, calls: { type: 'string', default: '500' },
    hosts: { type: 'string', default: '2' }, concurrency: { type: 'string', default: '1' }, executor: { type: 'string', default: 'threads' }, w1: { type: 'boolean', default: false }, w4: { type: 'boolean', default: false } },
});
if (!hasRedisServer()) {
  console.log('redis-server not installed: NOT run');
  process.exit(0);
}
const rounds = Number(o.rounds);
const calls = Number(o.calls);
const trees = (positionals.length > 0 ? positionals : [new URL('..', import.meta.url).pathname]).map((arg) => {
  const [tree, vars = ''] = arg.split(':');
  return { tree: resolve(tree), label: arg, env: Object.fromEntries(vars.split(',').filter(Boolean).map((v) => v.split('='))) };
});
const tasks = new URL('./tasks/tasks.mjs', import.meta.url).pathname;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`load average at start: ${load()}`);
const redis = await startRedis();
const connect = () => new Redis(redis.url, { maxRetriesPerRequest: null });

/** µs per call of `calls` sequential round trips after 50 warm-up ones. */
async function time(once) {
  for (let i = 0; i < 50; i++) await once(i);
  const t = performance.now();
  for (let i = 0; i < calls; i++) await once(i);
  return ((performance.now() - t) * 1000) / calls;
}
const bare = (queue, reader, key) => async (x) => {
  await queue.add('u', { x }, { removeOnComplete: true });
  await reader.blpop(key, 5);
};

const contestants = [];
/** What to stop before redis-server: the second floor's process, the hosts. */
const stops = [];
// The floor, as bench/cluster.mjs: its worker in this process.
{
  const { queue, reader } = await startFloorWorker(connect);
  contestants.push({ name: 'floor (worker in process)', run: () => time(bare(queue, reader, 'floor:out')) });
}
// The second floor: the same worker in a process of its own.
{
  const child = await startFloorWorkerProcess(redis.url);
  const queue = new Queue('floor2', { connection: connect() });
  const reader = connect();
  stops.push(async () => {
    await new Promise((done) => {
      child.once('exit', done);
      child.kill();
    });
    await queue.close();
    reader.disconnect();
  });
  contestants.push({ name: 'floor2 (worker own process)', run: () => time(bare(queue, reader, 'floor2:out')) });
}
// The third floor: as the second, with as many worker processes as bullmq() has hosts. Each job
// BullMQ hands out also wakes one idle worker (moveToActive leaves a marker for the next job), so
// this is what bare BullMQ costs with the hosts' layout.
{
  const children = await Promise.all(Array.from({ length: Number(o.hosts) }, () => startFloorWorkerProcess(redis.url, 'floor3')));
  const queue = new Queue('floor3', { connection: connect() });
  const reader = connect();
  stops.push(async () => {
    await Promise.all(children.map((child) => new Promise((done) => {
      child.once('exit', done);
      child.kill();
    })));
    await queue.close();
    reader.disconnect();
  });
  contestants.push({ name: `floor3 (${o.hosts}× worker process)`, run: () => time(bare(queue, reader, 'floor3:out')) });
}
// BullMQ's own request/response, for reference: floor3's worker processes returning the answer,
// read back with `job.waitUntilFinished(queueEvents)` (BullMQ's shared event stream, XREAD).
{
  const children = await Promise.all(Array.from({ length: Number(o.hosts) }, () => startFloorWorkerProcess(redis.url, 'events', { returns: true })));
  const queue = new Queue('events', { connection: connect() });
  const events = new QueueEvents('events', { connection: connect() });
  await events.waitUntilReady();
  stops.push(async () => {
    await Promise.all(children.map((child) => new Promise((done) => {
      child.once('exit', done);
      child.kill();
    })));
    await events.close();
    await queue.close();
  });
  contestants.push({
    name: `ref: BullMQ's waitUntilFinished (${o.hosts}× worker process)`,
    run: () => time(async (x) => {
      const job = await queue.add('u', { x }, { removeOnComplete: 100 });
      await job.waitUntilFinished(events, 5_000);
    }),
  });
}
const allHosts = [];
const executors = o.executor.split(',');
for (const [i, { tree, label: treeLabel, env, executor }] of trees.flatMap((t) => executors.map((executor) => ({ ...t, executor }))).entries()) {
  const label = executors.length > 1 ? `${treeLabel} ${executor}` : treeLabel;
  const { Pool } = await import(`${tree}/packages/core/dist/index.js`);
  const { bullmq } = await import(`${tree}/adapters/bullmq/dist/index.js`);
  const { startHosts } = await import(`${tree}/adapters/bullmq/test/cluster.mjs`);
  const group = `w2-${i}`;
  const hosts = await startHosts(Number(o.hosts), { url: redis.url, group, module: tasks, concurrency: Number(o.concurrency), args: ['--executor', executor], env });
  allHosts.push(...hosts);
  if (o.w1) {
    contestants.push({
      name: `bullmq() W1 ${label}`,
      w1: true,
      run: async () => {
        const p = new Pool({ adapter: bullmq({ connection: redis.url, group }), module: 'tasks.mjs', processes: 256 });
        try {
          await p.apply('inc', [1]);
          const t = performance.now();
          await Promise.all(Array.from({ length: 5_000 }, (_, x) => p.apply('inc', [x])));
          return 5_000 / ((performance.now() - t) / 1000);
        } finally {
          await p.terminate();
        }
      },
    });
  }
  if (o.w4) {
    contestants.push({
      name: `bullmq() W4 ${label}`,
      run: async () => {
        const p = new Pool({ adapter: bullmq({ connection: redis.url, group }), module: 'tasks.mjs', processes: 8 });
        try {
          await p.apply('inc', [1]);
          const t = performance.now();
          await p.map('inc', Array.from({ length: 200_000 }, (_, x) => x));
          return 200_000 / ((performance.now() - t) / 1000);
        } finally {
          await p.terminate();
        }
      },
    });
  }
  contestants.push({
    name: `bullmq() ${label}`,
    run: async () => {
      const p = new Pool({ adapter: bullmq({ connection: redis.url, group }), module: 'tasks.mjs', processes: 2 });
      try {
        return await time((x) => p.apply('inc', [x]));
      } finally {
        await p.terminate();
      }
    },
  });
}

const results = contestants.map(() => []);
for (let r = 0; r < rounds; r++) {
  const order = contestants.map((_, i) => i).sort(() => Math.random() - 0.5);
  for (const i of order) results[i].push(await contestants[i].run());
  console.error(`round ${r + 1}: ${contestants.map((c, i) => `${c.name.split(' ')[0]}${i} ${results[i][r].toFixed(0)}`).join('  ')} (load ${load()})`);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(`\n${rounds} rounds × ${calls} sequential round trips, order shuffled each round\n`);
if (o.w1 || o.w4) console.log('W1 (5,000 tiny tasks at once, 256 in flight) in tasks/s; W4 (map of 200,000 integers, 8 in flight) in items/s; W2 in µs/call\n');
console.log('| contestant | median µs/call | min | max | median ratio to floor | to floor2 | to floor3 | to waitUntilFinished |\n|---|--:|--:|--:|--:|--:|--:|--:|');
for (const [i, c] of contestants.entries()) {
  const ratio = (j) => median(results[i].map((v, r) => v / results[j][r])).toFixed(2);
  console.log(`| ${c.name} | ${median(results[i]).toFixed(0)} | ${Math.min(...results[i]).toFixed(0)} | ${Math.max(...results[i]).toFixed(0)} | ${ratio(0)}× | ${ratio(1)}× | ${ratio(2)}× | ${ratio(3)}× |`);
}
console.log(`\nload average at end: ${load()}`);
await Promise.all([...allHosts.map((h) => h.stop()), ...stops.map((stop) => stop())]);
await redis.stop();
process.exit(0);
