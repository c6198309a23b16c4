/**
 * vitest globalSetup of the cluster run: one redis-server and three `pool-worker` hosts serving
 * fixtures/tasks.mjs in the group 'conformance'. Fault tests start their own hosts and servers.
 */
import type { TestProject } from 'vitest/node';
import { startHosts, startRedis } from '../adapters/bullmq/test/cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedis();
  const module = new URL('./fixtures/tasks.mjs', import.meta.url).pathname;
  const hosts = await startHosts(3, {
    url: redis.url, group: 'conformance', module, concurrency: 2,
    args: ['--lock-duration', '2000', '--heartbeat', '250', '--grace', '2000'],
  });
  project.provide('redisUrl', redis.url);
  return async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    await redis.stop();
  };
}
