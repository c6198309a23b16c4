// examples/cluster: the same Pool, on two pool-worker hosts through Redis.
//
//   node examples/cluster/main.mjs                      starts a local redis-server and two hosts itself
//   POOL_REDIS_URL=redis://host:6379 node examples/cluster/main.mjs --no-start   uses hosts you started:
//     pool-worker --redis redis://host:6379 --group primes --module examples/cluster/tasks.mjs
import { Pool } from '@pool/core';
import { bullmq } from '@pool/bullmq';
import { hasRedisServer, startHosts, startRedis } from '../../adapters/bullmq/test/cluster.mjs';

const tasks = new URL('./tasks.mjs', import.meta.url).pathname;
const own = !process.argv.includes('--no-start');
if (own && !hasRedisServer()) {
  console.log('examples/cluster: redis-server is not installed, so the cluster example did not run.');
  console.log('  Install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) and run it again.');
  process.exit(0);
}
const redis = own ? await startRedis() : null;
const url = redis?.url ?? process.env.POOL_REDIS_URL ?? 'redis://127.0.0.1:6379';
const hosts = own ? await startHosts(2, { url, group: 'primes', module: tasks, concurrency: 1 }) : [];
console.log(`Redis at ${url}; ${own ? '2 pool-worker hosts started (1 worker each)' : 'using running hosts'} in group 'primes'`);
try {
  const pool = new Pool({ adapter: bullmq({ connection: url, group: 'primes' }), module: 'tasks.mjs', processes: 8 });
  const ranges = Array.from({ length: 32 }, (_, i) => [i * 100_000, (i + 1) * 100_000]);
  const started = performance.now();
  const counts = await pool.map('countPrimes', ranges, { chunksize: 1 });
  const total = counts.reduce((a, b) => a + b, 0);
  console.log(`primes below 3,200,000: ${total} (${((performance.now() - started) / 1000).toFixed(2)} s across the hosts)`);
  console.log('stats', pool.stats());
  await pool.terminate();
} finally {
  await Promise.all(hosts.map((host) => host.stop()));
  await redis?.stop();
}
