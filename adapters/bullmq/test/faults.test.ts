/**
 * @pool/bullmq under faults, on real redis-server and real pool-worker processes: a host killed
 * mid-map, Redis restarted mid-map, a host of another protocol version, malformed jobs, a slow
 * imap consumer, a pool that dies, and Redis ACL users.
 */
import { BrokenPoolError, Pool, TimeoutError, WorkerExitError } from '@pool/core';
import { bullmq, type BullmqOptions } from '@pool/bullmq';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { until } from '../../../test/conformance/harness.js';
import { startHosts, startRedis, type HostProcess } from './cluster.mjs';

const module = new URL('../../../test/fixtures/tasks.mjs', import.meta.url).pathname;
const root = fileURLToPath(new URL('../../..', import.meta.url));
const fast = ['--lock-duration', '1000', '--stalled-interval', '250', '--heartbeat', '200', '--grace', '1000'];
const url = inject('redisUrl');
const started: HostProcess[] = [];
let groups = 0;

async function cluster(count: number, args: string[] = [], at = url): Promise<{ group: string; hosts: HostProcess[] }> {
  const group = `faults-${process.pid}-${++groups}`;
  const hosts = await startHosts(count, { url: at, group, module, concurrency: 2, args: [...fast, ...args] });
  started.push(...hosts);
  // Each test's hosts leave with it: a loaded machine runs the next test's hosts alone.
  onTestFinished(async () => {
    await Promise.all(hosts.map((host) => host.stop('SIGKILL')));
  });
  return { group, hosts };
}

let shared: Promise<{ group: string; hosts: HostProcess[] }> | undefined;

/**
 * Two hosts that the cases which leave hosts whole (no kill, no special flag) share, started once:
 * host start-up is most of such a case's time. `fresh(i)` is host i's log since the call.
 */
async function sharedCluster(): Promise<{ group: string; hosts: HostProcess[]; fresh: (i: number) => string }> {
  shared ??= (async () => {
    const group = `faults-${process.pid}-shared`;
    const hosts = await startHosts(2, { url, group, module, concurrency: 2, args: fast });
    started.push(...hosts);
    return { group, hosts };
  })();
  const { group, hosts } = await shared;
  const marks = hosts.map((host) => host.log.length);
  return { group, hosts, fresh: (i) => hosts[i]!.log.slice(marks[i]) };
}

function pool(group: string, processes: number, extra: Partial<BullmqOptions> = {}, at = url): Pool {
  return new Pool({ adapter: bullmq({ connection: at, group, heartbeat: 200, ...extra }), module: 'tasks.mjs', processes });
}

afterAll(async () => {
  await Promise.all(started.map((host) => host.stop('SIGKILL')));
});

describe('@pool/bullmq under faults', () => {
  it('a host SIGKILLed during a long map: with retries, every item comes back once, correct, in order', async () => {
    const { group, hosts } = await cluster(3);
    const p = pool(group, 12);
    try {
      const items = Array.from({ length: 600 }, (_, i) => i);
      const mapped = p.map('slowSquare', items, { chunksize: 2, retries: 3 });
      await until(() => p.stats().completed >= 40, 30_000, 'the map to be under way');
      const killedAt = Date.now();
      await hosts[0]!.stop('SIGKILL');
      expect(await mapped).toEqual(items.map((x) => x * x));
      console.log(`map of 600 under a host SIGKILL: done ${Date.now() - killedAt} ms after the kill`);
      expect(p.stats()).toMatchObject({ pending: 0, busy: 0, queued: 0 });
    } finally {
      await p.terminate();
    }
  });

  it('a host hears cancels from the moment it says ready: a timed-out map stops on fresh hosts at once', async () => {
    const { group, hosts } = await cluster(2);
    const redis = new Redis(url);
    onTestFinished(() => void redis.disconnect());
    // Subscribed before 'ready' (a SUBSCRIBE that raced the connection's ready check was lost).
    const [, subscribers] = (await redis.pubsub('NUMSUB', `pool:${group}:cancel`)) as [string, number];
    expect(subscribers).toBe(2);
    for (const host of hosts) expect(host.log).not.toContain('redis error');
    const p = pool(group, 4);
    try {
      const map = p.map('sleepThen', Array.from({ length: 4 }, () => 60_000), { chunksize: 1, timeout: 200 });
      await expect(map).rejects.toBeInstanceOf(TimeoutError);
      // All four host workers ran a 60 s unit: only cancels that arrive free one for this call
      // before those units could have finished.
      const started = Date.now();
      expect(await p.apply('square', [7])).toBe(49);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await p.terminate();
    }
  });

  it('a host SIGKILLed without retries: each of its units fails WorkerExitError, every call settles once', async () => {
    const { group, hosts } = await cluster(2);
    const p = pool(group, 8);
    try {
      const settled = new Array<number>(80).fill(0);
      const results = Array.from({ length: 80 }, (_, i) => p.applyAsync('sleepThen', [50, i], {
        callback: () => settled[i]!++, errorCallback: () => settled[i]!++,
      }));
      await until(() => p.stats().completed >= 8, 30_000, 'work to be under way');
      await hosts[0]!.stop('SIGKILL');
      const outcomes = await Promise.allSettled(results);
      expect(settled.every((count) => count === 1)).toBe(true);
      const failed = outcomes.filter((o) => o.status === 'rejected');
      for (const o of failed) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(WorkerExitError);
      outcomes.forEach((o, i) => {
        if (o.status === 'fulfilled') expect(o.value).toBe(i);
      });
      expect(failed.length).toBeGreaterThanOrEqual(1);
    } finally {
      await p.terminate();
    }
  });

  it('Redis restarted mid-map: every call settles, and the map comes back whole and correct', async () => {
    const redis = await startRedis();
    try {
      const { group } = await cluster(2, [], redis.url);
      const p = pool(group, 8, { unavailableTimeout: 30_000 }, redis.url);
      try {
        const items = Array.from({ length: 300 }, (_, i) => i);
        const mapped = p.map('slowSquare', items, { chunksize: 1 });
        const others = Array.from({ length: 20 }, (_, i) => p.apply('square', [i]));
        await until(() => p.stats().completed >= 60, 30_000, 'the map to be under way');
        await redis.restart();
        expect(await mapped).toEqual(items.map((x) => x * x));
        expect(await Promise.all(others)).toEqual(Array.from({ length: 20 }, (_, i) => i * i));
        expect(await p.apply('square', [9])).toBe(81);
      } finally {
        await p.terminate();
      }
    } finally {
      await redis.stop();
    }
  });

  it('no live host: pending calls reject HostUnavailableError after unavailableTimeout; the pool stays usable', async () => {
    const group = `faults-${process.pid}-empty`;
    const p = pool(group, 2, { unavailableTimeout: 1_000 });
    try {
      const error = await p.apply('square', [2]).catch((e: unknown) => e);
      expect((error as Error).name).toBe('HostUnavailableError');
      expect((error as Error).message).toContain('no live pool-worker host');
      expect(p.state).toBe('RUN');
      expect(p.stats().workers).toBe(0);
    } finally {
      await p.terminate();
    }
  });

  it('a call given up for want of hosts never runs later: its job leaves the queue', async () => {
    const group = `faults-${process.pid}-given-up`;
    const p = pool(group, 2, { unavailableTimeout: 1_000 });
    const queue = new Queue(group, { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix: 'pool' });
    try {
      const error = (await p.apply('square', [2]).catch((e: unknown) => e)) as Error;
      expect(error.name).toBe('HostUnavailableError');
      // A host that comes later finds nothing of it to run.
      await until(async () => (await queue.getJobCountByTypes('wait', 'prioritized', 'delayed', 'active')) === 0, 10_000, 'the given-up job to leave the queue');
      expect(p.stats()).toMatchObject({ pending: 0, queued: 0 });
    } finally {
      await p.terminate();
      await queue.close();
    }
  });

  it('a job Redis refuses (maxmemory) fails its call alone with DataCloneError saying why; the pool carries on', async () => {
    const redis = await startRedis({ extra: ['--maxmemory', '4mb'] });
    try {
      const at = `redis://127.0.0.1:${redis.port}`;
      const { group } = await cluster(1, [], at);
      const p = pool(group, 4, { unavailableTimeout: 60_000 }, at);
      try {
        expect(await p.apply('square', [3])).toBe(9);
        // Sent together, in one addBulk (a pipeline, not a transaction): only the big one is refused.
        const [small, big, other] = await Promise.allSettled([
          p.apply('square', [4]), p.apply('identity', ['x'.repeat(8 * 1024 * 1024)]), p.apply('square', [5]),
        ]);
        expect([small, other]).toEqual([{ status: 'fulfilled', value: 16 }, { status: 'fulfilled', value: 25 }]);
        const error = (big as PromiseRejectedResult).reason as Error;
        expect(error.name).toBe('DataCloneError');
        expect(error.message).toMatch(/Redis refused its job .*OOM/);
        expect(p.stats()).toMatchObject({ pending: 0 });
        // Once Redis has room again, calls run as before.
        const admin = new Redis(at);
        await admin.config('SET', 'maxmemory', '0');
        admin.disconnect();
        expect(await p.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
      } finally {
        await p.terminate();
      }
    } finally {
      await redis.stop();
    }
  });

  it('a host speaking another protocol version fails the units, never runs them: BrokenPoolError says why', async () => {
    const { group, hosts } = await cluster(1, ['--protocol', '999']);
    const p = pool(group, 2);
    try {
      const error = (await p.apply('count').catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(BrokenPoolError);
      expect((error.cause as Error).message).toContain('protocol 999');
      expect(p.state).toBe('BROKEN');
      expect(hosts[0]!.log).toMatch(/unit\(s\) failed, not run/);
    } finally {
      await p.terminate();
    }
  });

  it('malformed job data in the queue is failed, never run; the host carries on', async () => {
    const { group, fresh } = await sharedCluster();
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const queue = new Queue(group, { connection, prefix: 'pool' });
    const p = pool(group, 2);
    try {
      await queue.add('unit', { task: 'exitWorker', args: [1] });
      await queue.add('unit', { v: 2, p: '00000000-0000-0000-0000-000000000000', u: 1, r: 0, b: 'not msgpack at all' });
      // A batch whose lists disagree in length.
      await queue.add('units', { v: 2, p: '00000000-0000-0000-0000-000000000000', u: [1, 2], r: [0, 0], b: ['x'] });
      // A batch whose 'more batches' flag is not 1.
      await queue.add('units', { v: 2, p: '00000000-0000-0000-0000-000000000000', u: [1], r: [0], b: ['x'], m: 'yes' });
      const failures = () => [0, 1].map((i) => fresh(i).match(/failed without running/g)?.length ?? 0).reduce((a, b) => a + b);
      await until(() => failures() >= 4, 10_000, 'the hosts to fail the four jobs');
      expect(await p.apply('square', [5])).toBe(25);
    } finally {
      await p.terminate();
      await queue.close();
      connection.disconnect();
    }
  });

  it('a slow imap consumer keeps Redis bounded: jobs and replies stay within the read-ahead', async () => {
    const { group } = await sharedCluster();
    const p = pool(group, 4);
    const probe = new Redis(url);
    try {
      let peakJobs = 0;
      let peakReplies = 0;
      let n = 0;
      for await (const y of p.imap('square', Array.from({ length: 200 }, (_, i) => i))) {
        expect(y).toBe(n * n);
        if (++n % 20 === 0) {
          const [waiting, replies] = await Promise.all([
            probe.llen(`pool:${group}:wait`), probe.keys(`pool:${group}:replies:*`).then((k) => (k.length ? probe.llen(k[0]!) : 0)),
          ]);
          peakJobs = Math.max(peakJobs, waiting);
          peakReplies = Math.max(peakReplies, replies);
          // The consumer is slow: the pool must not keep producing meanwhile.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      expect(n).toBe(200);
      expect(peakJobs).toBeLessThanOrEqual(4);
      expect(peakReplies).toBeLessThanOrEqual(4);
    } finally {
      await p.terminate();
      probe.disconnect();
    }
  });

  it('a pool whose process dies: its lease runs out and hosts stop its running units', async () => {
    const { group, fresh } = await sharedCluster();
    const either = (text: string) => fresh(0).includes(text) || fresh(1).includes(text);
    // A pool in its own process, SIGKILLed while its unit runs.
    const script = `
      import { Pool } from '@pool/core';
      import { bullmq } from '@pool/bullmq';
      const pool = new Pool({ adapter: bullmq({ connection: ${JSON.stringify(url)}, group: ${JSON.stringify(group)}, heartbeat: 200, lease: 800 }), module: 'tasks.mjs', processes: 1 });
      pool.apply('sleepThen', [60000, 'never']).catch(() => {});`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'ignore' });
    try {
      await until(() => either('connected'), 20_000, 'a host to take the unit');
      child.kill('SIGKILL');
      await until(() => either('is gone (lease expired): stopping its 1 running units'), 10_000, 'the host to stop the unit');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('Redis ACL: a user limited to the pool prefix works; a wrong password rejects HostUnavailableError', async () => {
    const redis = await startRedis({ extra: ['--user', 'default', 'off', '--user', 'pooluser', 'on', '>s3cret', '~pool:*', '&pool:*', '+@all'] });
    try {
      const at = `redis://pooluser:s3cret@127.0.0.1:${redis.port}`;
      const { group } = await cluster(1, [], at);
      const p = pool(group, 2, {}, at);
      try {
        expect(await p.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
      } finally {
        await p.terminate();
      }
      const wrong = pool(group, 1, { unavailableTimeout: 1_000 }, `redis://pooluser:wrong@127.0.0.1:${redis.port}`);
      try {
        const error = (await wrong.apply('square', [1]).catch((e: unknown) => e)) as Error;
        expect(error.name).toBe('HostUnavailableError');
        // It is Redis that refused the pool, not hosts that are missing: the message says so.
        expect(error.message).toMatch(/^Redis could not be reached \(WRONGPASS/);
      } finally {
        await wrong.terminate();
      }
    } finally {
      await redis.stop();
    }
  });
});
