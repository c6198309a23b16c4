// The README's "Beyond one machine" example, run for real: a local redis-server and two
// pool-worker hosts serving examples/cluster/tasks.mjs are started around it.
import { fileURLToPath } from 'node:url';
import { startHosts, startRedis } from '../../adapters/bullmq/test/cluster.mjs';
// #region readme
import { Pool } from '@pool/core';
import { bullmq } from '@pool/bullmq';

// #endregion
const redis = await startRedis();
process.env.REDIS_URL = redis.url;
const module = fileURLToPath(new URL('../cluster/tasks.mjs', import.meta.url));
const hosts = await startHosts(2, { url: redis.url, group: 'primes', module, concurrency: 1 });
const ranges = [[0, 10_000], [10_000, 20_000], [20_000, 30_000]];
try {
  // #region readme
  const pool = new Pool({
    adapter: bullmq({ connection: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', group: 'primes' }),
    module: './tasks.mjs', // names the hosts' module (its file name is checked), loaded by them
    processes: 16, // units in flight for this pool; the parallelism is the hosts'
  });
  try {
    console.log(await pool.map('countPrimes', ranges));
  } finally {
    await pool.terminate();
  }
  // #endregion
} finally {
  await Promise.all(hosts.map((host) => host.stop()));
  await redis.stop();
}
