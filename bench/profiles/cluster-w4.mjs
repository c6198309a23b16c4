// W4 of bench/cluster.mjs alone, A/B: a million integers through `map` on bullmq() (a pool of 8,
// Python's default chunks: 32 units of 31,250), two fresh hosts per tree and round, trees
// interleaved on one redis-server (the order flipped each round). Prints each tree's median ms.
//   node profiles/cluster-w4.mjs [--rounds 8] tree [tree ...]   (each tree a built checkout's root)
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: o, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '8' } } });
const load = async (root) => ({
  root,
  Pool: (await import(`${root}/packages/core/dist/index.js`)).Pool,
  bullmq: (await import(`${root}/adapters/bullmq/dist/index.js`)).bullmq,
  cluster: await import(`${root}/adapters/bullmq/test/cluster.mjs`),
});
const trees = await Promise.all((positionals.length > 0 ? positionals : [new URL('../..', import.meta.url).pathname]).map((tree) => load(resolve(tree))));
if (!trees[0].cluster.hasRedisServer()) {
  console.log('redis-server not installed: NOT run');
  process.exit(0);
}
const redis = await trees[0].cluster.startRedis();
const tasks = new URL('../tasks/tasks.mjs', import.meta.url).pathname;
const items = Array.from({ length: 1_000_000 }, (_, i) => i);
const times = new Map(trees.map((tree) => [tree, []]));
const loads = [loadavg()[0]];
for (let round = 0; round < Number(o.rounds); round++) {
  for (const tree of round % 2 ? [...trees].reverse() : trees) {
    const group = `w4-${round}-${trees.indexOf(tree)}`;
    const hosts = await tree.cluster.startHosts(2, { url: redis.url, group, module: tasks, concurrency: 1 });
    const pool = new tree.Pool({ adapter: tree.bullmq({ connection: redis.url, group }), module: 'tasks.mjs', processes: 8 });
    await pool.map('inc', items.slice(0, 100_000)); // the hosts' workers warm
    const start = performance.now();
    const out = await pool.map('inc', items);
    times.get(tree).push(performance.now() - start);
    if (out.length !== items.length || out.some((y, i) => y !== i + 1)) throw new Error(`${tree.root}: wrong result`);
    await pool.terminate();
    await Promise.all(hosts.map((host) => host.stop()));
  }
}
loads.push(loadavg()[0]);
const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
for (const [tree, ms] of times) {
  console.log(`${tree.root}: median ${median(ms).toFixed(0)} ms (${(1e9 / median(ms) / 1e6).toFixed(2)}M items/s); rounds ${ms.map((m) => m.toFixed(0)).join(' ')}`);
}
console.log(`load average ${loads.map((l) => l.toFixed(1)).join(' → ')}`);
await redis.stop();
