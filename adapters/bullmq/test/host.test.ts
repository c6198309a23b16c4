/**
 * The `pool-worker` command itself, on real redis-server and real processes: its executors
 * (threads, processes, inline) under Node, Bun and Deno, its exits for bad arguments, bad modules
 * and a Redis it cannot reach or log in to, the sha256 pins on either side, a pool's initializer
 * failing for a while, results Redis refuses, and SIGTERM finishing or handing back the units it runs.
 */
import { BrokenPoolError, MaybeEncodingError, Pool, TimeoutError } from '@pool/core';
import { bullmq, type BullmqOptions } from '@pool/bullmq';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { until } from '../../../test/conformance/harness.js';
import { hostCommand, startHost, startRedis, type HostProcess } from './cluster.mjs';

const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const module = new URL('tasks.mjs', fixtures).pathname;
const fast = ['--lock-duration', '1000', '--stalled-interval', '250', '--heartbeat', '200'];
const url = inject('redisUrl');
const started: HostProcess[] = [];
let groups = 0;
/**
 * A second task module, written here: tasks whose behaviour the test steers through files (an
 * initializer that fails while a file exists, a big result that notes each run).
 */
const scratch = mkdtempSync(join(tmpdir(), 'pool-host-test-'));
const steered = join(scratch, 'steered.mjs');
writeFileSync(steered, `import { appendFileSync, existsSync } from 'node:fs';
export function failWhile(path) {
  if (existsSync(path)) throw new Error(\`transient: \${path} exists\`);
}
export const ok = () => 'ok';
export async function blockUntil(released, started, ms) {
  appendFileSync(started, \`\${process.pid}\\n\`);
  await new Promise((resolve) => setTimeout(resolve, ms));
  while (!existsSync(released)) await new Promise((resolve) => setTimeout(resolve, 10));
  return process.pid;
}
export function bigString(length, runs) {
  appendFileSync(runs, 'ran\\n');
  return 'x'.repeat(length);
}
`);

/** Where a host runs: under Node unless `runtime` is given (with `runtimeArgs` before the command). */
type Runtime = { runtime?: string; runtimeArgs?: string[] };

/** A host of its own group (or of `group`), stopped with the test; on the suite's Redis and tasks.mjs unless `url` or `module` say otherwise. */
async function host(args: string[] = [], group = `host-${process.pid}-${++groups}`, on: Runtime & { url?: string; module?: string } = {}): Promise<HostProcess & { group: string }> {
  const h = await startHost({ url, group, module, concurrency: 2, ...on, args: [...fast, ...args] });
  started.push(h);
  onTestFinished(() => h.stop('SIGKILL'));
  return Object.assign(h, { group });
}

function pool(group: string, extra: Partial<BullmqOptions> = {}, options: Record<string, unknown> = {}): Pool {
  return new Pool({ adapter: bullmq({ connection: url, group, heartbeat: 200, ...extra }), module: 'tasks.mjs', processes: 2, ...options });
}

/**
 * Runs `pool-worker` with `args` to its exit: its code and what it wrote to stderr. One still
 * running after `killAfter` ms is SIGKILLed (code `null`).
 */
function runToExit(args: string[], killAfter = 30_000): Promise<{ code: number | null; stderr: string; ms: number }> {
  const begun = Date.now();
  const child = spawn(process.execPath, [hostCommand, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfter);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code, stderr, ms: Date.now() - begun });
  }));
}

/** Resolves with the child's exit code once it has exited. */
function exited(h: HostProcess): Promise<number | null> {
  if (h.child.exitCode !== null) return Promise.resolve(h.child.exitCode);
  return new Promise((resolve) => h.child.once('exit', (code) => resolve(code)));
}

afterAll(async () => {
  await Promise.all(started.map((h) => h.stop('SIGKILL')));
  rmSync(scratch, { recursive: true, force: true });
});

describe('pool-worker: spreading work', () => {
  it('a host takes jobs ahead only while they are short: long units spread over every host; each reads a new pool once', async () => {
    const group = `host-${process.pid}-${++groups}`;
    // Two hosts of two workers, four units in flight: two on each host at any time.
    const hosts = await Promise.all([0, 1].map(() => host([], group, { module: steered })));
    const p = new Pool({ adapter: bullmq({ connection: url, group, heartbeat: 200 }), module: 'steered.mjs', processes: 4 });
    const waves = [join(scratch, `wave1-${group}`), join(scratch, `wave2-${group}`)];
    const started = join(scratch, `started-${group}`);
    const starts = (): string[] => (existsSync(started) ? readFileSync(started, 'utf8').trim().split('\n') : []);
    const perHost = (): number[] => hosts.map((h) => starts().filter((pid) => pid === String(h.pid)).length);
    try {
      // Eight long units (300 ms at least) in two waves, each blocked until its wave is released:
      // four run at once, two on each host. A host that took one ahead would hold it unstarted
      // while the other host had a worker idle (BullMQ hands a waiting job to whichever asks first).
      const items = Array.from({ length: 8 }, (_, i) => [waves[i < 4 ? 0 : 1], started, 300]);
      const mapped = p.starmap('blockUntil', items, { chunksize: 1 });
      await until(() => starts().length === 4, 10_000, 'the first wave to start');
      expect(perHost()).toEqual([2, 2]);
      writeFileSync(waves[0]!, '');
      await until(() => starts().length === 8, 10_000, 'the second wave to start, four at once');
      expect(perHost()).toEqual([4, 4]);
      writeFileSync(waves[1]!, '');
      expect(((await mapped) as number[]).sort()).toEqual(starts().map(Number).sort());
      // Each host read the new pool's lease once, though its first two jobs came together.
      for (const h of hosts) expect(h.log.match(/pool \w+ connected/g)).toHaveLength(1);
    } finally {
      for (const wave of waves) writeFileSync(wave, '');
      await p.terminate();
    }
  });
});

describe('pool-worker: executors', () => {
  it('--executor inline runs tasks on the host\'s own event loop; errors, initializers, maps and timeouts work as elsewhere', async () => {
    const h = await host(['--executor', 'inline']);
    expect(h.log).toMatch(/2 inline/);
    const p = pool(h.group);
    const initialized = pool(h.group, {}, { initializer: 'initialize', initargs: ['ready'] });
    try {
      expect(await p.apply('runsWhere')).toEqual({ pid: h.pid, mainThread: true });
      expect(await p.map('square', Array.from({ length: 100 }, (_, i) => i), { chunksize: 7 }))
        .toEqual(Array.from({ length: 100 }, (_, i) => i * i));
      const error = await p.apply('typeError', ['bad input']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe('bad input');
      expect(await initialized.apply('getInitialized')).toBe('ready');
      // A timed-out call settles at its deadline; the host carries on with the next one.
      const late = await p.apply('sleepThen', [3_000, 'late'], { timeout: 100 }).catch((e: unknown) => e);
      expect(late).toBeInstanceOf(TimeoutError);
      expect(await p.apply('add', [2, 3])).toBe(5);
      // A result the codec refuses names itself as the result, not by its place in the reply.
      const unsendable = (await p.apply('returnFunction').catch((e: unknown) => e)) as Error;
      expect(unsendable.name).toBe('MaybeEncodingError');
      expect(unsendable.message).toMatch(/Reason: 'result: a function cannot be sent'/);
      expect(h.child.exitCode).toBeNull();
    } finally {
      await Promise.all([p.terminate(), initialized.terminate()]);
    }
  });
});

describe('pool-worker under Node, Bun and Deno', () => {
  // The npm packages' binaries, as the rest of the suite runs them.
  const bin = (name: string) => fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));
  const runtimes: [string, Runtime][] = [['Node', {}], ['Bun', { runtime: bin('bun') }], ['Deno', { runtime: bin('deno'), runtimeArgs: ['run', '-A'] }]];
  for (const [name, on] of runtimes) {
    it(`under ${name}: threads (the default) run tasks on worker threads of the host process, processes in child processes, inline on its own event loop; SIGTERM exits 0`, async () => {
      const hosts = await Promise.all((['threads', 'processes', 'inline'] as const).map(async (executor) => {
        const h = await host(executor === 'threads' ? [] : ['--executor', executor], undefined, on);
        return { h, executor };
      }));
      for (const { h, executor } of hosts) {
        const p = pool(h.group);
        try {
          const where = (await p.apply('runsWhere')) as { pid: number; mainThread: boolean };
          if (executor === 'processes') {
            expect(where.mainThread).toBe(true);
            expect(where.pid).not.toBe(h.pid);
          } else {
            expect(where, executor).toEqual({ pid: h.pid, mainThread: executor === 'inline' });
          }
          expect(await p.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
          expect(await p.apply('typeError', ['bad']).catch((e: unknown) => e)).toBeInstanceOf(TypeError);
        } finally {
          await p.terminate();
        }
      }
      for (const { h } of hosts) {
        const code = exited(h);
        h.child.kill('SIGTERM');
        expect(await code).toBe(0);
      }
    });
  }
});

describe('pool-worker: refusals', () => {
  it('bad arguments exit 2 and name the problem, before connecting to anything', async () => {
    // Nothing listens on port 1: a host that went on to connect would retry, not exit 2.
    const nowhere = 'redis://127.0.0.1:1';
    const base = ['--redis', nowhere, '--group', 'g', '--module', module];
    const cases: [string[], RegExp][] = [
      [[...base, '--executor', 'fibers'], /--executor must be threads, processes or inline, got 'fibers'/],
      [[...base, '--concurrency', '0'], /--concurrency must be an integer from 1 to 2147483647, got '0'/],
      // Past a timer's range, a runtime fires at once: a long --grace would be no grace at all.
      [[...base, '--grace', '3000000000'], /--grace must be an integer from 1 to 2147483647, got '3000000000'/],
      [[...base, '--heartbeat', '2147483648'], /--heartbeat must be an integer from 1 to 2147483647/],
      [[...base, '--colour', 'blue'], /unknown option --colour/],
      [['--redis', nowhere, '--module', module], /--group NAME is required/],
      [[...base, '--module-sha256', 'abc'], /--module-sha256 must be 64 hex digits/],
      [[...base, '--start-timeout', '-5'], /--start-timeout must be an integer from 1 to 2147483647, got '-5'/],
      [[...base, '--prefix', 'a:b'], /--prefix NAME: letters, digits, _ - \. \(as bullmq\(\{ prefix \}\)\), got 'a:b'/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runToExit(args)));
    for (const [i, [, message]] of cases.entries()) {
      const { code, stderr } = runs[i]!;
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).toMatch(/Usage: pool-worker/);
    }
  });

  it('a module that fails to load, or cannot be read, or is not the pinned one, exits 1 saying why', async () => {
    const base = ['--redis', url, '--group', 'g', '--executor', 'inline'];
    const [throws, threads, missing, pinned] = await Promise.all([
      runToExit([...base, '--module', new URL('throws-on-load.mjs', fixtures).pathname]),
      runToExit(['--redis', url, '--group', 'g', '--module', new URL('throws-on-load.mjs', fixtures).pathname]),
      runToExit([...base, '--module', new URL('no-such-module.mjs', fixtures).pathname]),
      runToExit([...base, '--module', module, '--module-sha256', '0'.repeat(64)]),
    ]);
    expect(throws.code).toBe(1);
    expect(throws.stderr).toMatch(/throws-on-load\.mjs failed to load: .*module failed to load/);
    expect(threads.code).toBe(1);
    expect(threads.stderr).toMatch(/failed to load: .*module failed to load/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read the module .*no-such-module\.mjs/);
    expect(pinned.code).toBe(1);
    expect(pinned.stderr).toMatch(/has sha256 [0-9a-f]{64}, not the pinned 0{64}/);
  });

  it('--start-timeout: a module whose top-level await never settles stops the host at start (exit 1, saying why)', async () => {
    const { code, stderr } = await runToExit(['--redis', url, '--group', 'g', '--start-timeout', '300', '--module', new URL('hangs-on-load.mjs', fixtures).pathname]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/hangs-on-load\.mjs failed to load: .*not ready after 300 ms/);
  });

  it("--start-timeout: a pool's initializer that never settles on the host fails its calls with BrokenPoolError; other pools carry on", async () => {
    const h = await host(['--start-timeout', '300']);
    const stuck = pool(h.group, {}, { initializer: 'hangingInitializer' });
    const fine = pool(h.group);
    try {
      const error = (await stuck.apply('square', [2]).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(BrokenPoolError);
      expect(String((error.cause as Error)?.message)).toMatch(/not ready after 300 ms/);
      expect(await fine.apply('square', [3])).toBe(9);
    } finally {
      await Promise.all([stuck.terminate(), fine.terminate()]);
    }
  });

  it('a Redis that refuses the login, or that nothing answers, stops the host at start: exit 1, naming the URL (not its password) and why', async () => {
    const redis = await startRedis({ extra: ['--user', 'default', 'off', '--user', 'pooluser', 'on', '>s3cret', '~pool:*', '&pool:*', '+@all'] });
    try {
      const base = ['--group', 'g', '--module', module, '--executor', 'inline'];
      const [wrong, anonymous, nowhere] = await Promise.all([
        runToExit(['--redis', `redis://pooluser:not-the-secret@127.0.0.1:${redis.port}`, ...base], 20_000),
        runToExit(['--redis', redis.url, ...base], 20_000),
        // Nothing listens on port 1.
        runToExit(['--redis', 'redis://127.0.0.1:1', ...base, '--connect-timeout', '1000'], 20_000),
      ]);
      expect(wrong.code, wrong.stderr).toBe(1);
      expect(wrong.stderr).toMatch(`cannot start: Redis at redis://pooluser:***@127.0.0.1:${redis.port} refused this host's login: WRONGPASS`);
      expect(wrong.stderr).not.toMatch('not-the-secret');
      // At once: a login Redis refuses is not retried until a timeout.
      expect(wrong.ms).toBeLessThan(10_000);
      expect(anonymous.code, anonymous.stderr).toBe(1);
      expect(anonymous.stderr).toMatch(`cannot start: Redis at ${redis.url} refused this host's login: NOAUTH`);
      expect(nowhere.code, nowhere.stderr).toBe(1);
      expect(nowhere.stderr).toMatch(/cannot start: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 within 1000 ms: .*ECONNREFUSED/);
    } finally {
      await redis.stop();
    }
  });

  it('a pool whose initializer failed on the host gets BrokenPoolError; a new pool with the same settings tries the initializer again', async () => {
    const h = await host([], undefined, { module: steered });
    const down = join(scratch, `down-${h.group}`);
    writeFileSync(down, '');
    const settings = { module: 'steered.mjs', initializer: 'failWhile', initargs: [down] };
    const first = pool(h.group, {}, settings);
    try {
      const error = (await first.apply('ok').catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(BrokenPoolError);
      expect(String((error.cause as Error)?.message)).toMatch(/transient: .* exists/);
    } finally {
      await first.terminate();
    }
    rmSync(down);
    const second = pool(h.group, {}, settings);
    try {
      expect(await second.apply('ok')).toBe('ok');
    } finally {
      await second.terminate();
    }
  });

  it('a pool that pins another sha256, or names another module, fails with BrokenPoolError; the right pin works', async () => {
    const sha = createHash('sha256').update(readFileSync(module)).digest('hex');
    const h = await host(['--module-sha256', sha.toUpperCase()]);
    const right = pool(h.group, { moduleSha256: sha });
    const wrong = pool(h.group, { moduleSha256: 'f'.repeat(64) });
    const other = new Pool({ adapter: bullmq({ connection: url, group: h.group, heartbeat: 200 }), module: 'other.mjs', processes: 1 });
    try {
      expect(await right.apply('square', [4])).toBe(16);
      const pinError = await wrong.apply('square', [4]).catch((e: unknown) => e);
      expect(pinError).toBeInstanceOf(BrokenPoolError);
      expect(((pinError as BrokenPoolError).cause as Error).message).toMatch(`the pool pins ${'f'.repeat(64)}`);
      const moduleError = await other.apply('square', [4]).catch((e: unknown) => e);
      expect(moduleError).toBeInstanceOf(BrokenPoolError);
      expect(((moduleError as BrokenPoolError).cause as Error).message).toMatch(/serves the module 'tasks\.mjs', the pool names 'other\.mjs'/);
      expect(await right.apply('square', [5])).toBe(25);
    } finally {
      await Promise.all([right.terminate(), wrong.terminate(), other.terminate()]);
    }
  });
});

describe('pool-worker: SIGTERM', () => {
  /** Resolves once `count` of the group's jobs are running on a host. */
  async function running(group: string, count: number, on = url): Promise<void> {
    const connection = new Redis(on, { maxRetriesPerRequest: null });
    const queue = new Queue(group, { connection, prefix: 'pool' });
    try {
      await until(async () => (await queue.getActiveCount()) >= count, 20_000, `${count} running job(s) in '${group}'`);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }

  /** The group's jobs that hosts run, and that wait for a host. */
  async function jobs(group: string): Promise<{ active: number; waiting: number }> {
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const queue = new Queue(group, { connection, prefix: 'pool' });
    try {
      return { active: await queue.getActiveCount(), waiting: await queue.getWaitingCount() };
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }

  it('within --grace, the running units finish and answer, and the host exits 0', async () => {
    const h = await host(['--grace', '20000']);
    const p = pool(h.group);
    try {
      const call = p.apply('sleepThen', [500, 'finished']);
      await running(h.group, 1);
      const code = exited(h);
      h.child.kill('SIGTERM');
      expect(await call).toBe('finished');
      expect(await code).toBe(0);
      // BullMQ has the job active a moment before the host counts it as running: the log's count may be 0 or 1.
      expect(h.log).toMatch(/stopping: finishing [01] running units/);
      expect(h.log).not.toMatch(/grace over/);
      expect(h.log).toMatch(/stopped/);
    } finally {
      await p.terminate();
    }
  });

  it('past --grace, the running units are handed back at once: the host exits about --grace ms after SIGTERM, another host runs them, the call settles once', async () => {
    const first = await host(['--grace', '500', '--verbose']);
    const p = pool(first.group);
    try {
      // Far longer than the grace: the host must not wait for it.
      const call = p.apply('sleepThen', [8_000, 'ran elsewhere']);
      await running(first.group, 1);
      const code = exited(first);
      const signalled = Date.now();
      first.child.kill('SIGTERM');
      expect(await code).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(4_000);
      expect(first.log).toMatch(/grace over: handing back 1 units/);
      expect(first.log).not.toMatch(/unit \d+ of pool \w+: (ok|failed)/);
      // Back in the wait list, not left to stall: no retry is spent (the call has none), and the next host takes it at once.
      expect(await jobs(first.group)).toEqual({ active: 0, waiting: 1 });
      const second = await host(['--verbose'], first.group);
      expect(await call).toBe('ran elsewhere');
      expect(second.log.match(/unit \d+ of pool \w+: ok/g)).toHaveLength(1);
    } finally {
      await p.terminate();
    }
  });

  it('in a Redis outage, the host says so once, not at every reconnect; SIGTERM then exits about --grace ms later, though nothing can be handed back', async () => {
    const redis = await startRedis();
    onTestFinished(() => redis.stop());
    const h = await host(['--grace', '500'], undefined, { url: redis.url });
    const p = new Pool({ adapter: bullmq({ connection: redis.url, group: h.group, heartbeat: 200 }), module: 'tasks.mjs', processes: 2 });
    try {
      const call = p.apply('sleepThen', [8_000, 'unreachable']);
      call.catch(() => {}); // it settles when the pool is terminated below
      await running(h.group, 1, redis.url);
      // Grace 500 ms; BullMQ, waiting for Redis, would have held the host for ever.
      expect(await sigtermInOutage(h, redis)).toBeLessThan(4_000);
      // BullMQ has the job active a moment before the host counts it as running: 0 or 1.
      expect(h.log).toMatch(/grace over, Redis unreachable: [01] units go to other hosts when their lock runs out/);
      // Its three connections tried again every 50–500 ms meanwhile, each attempt an error event.
      expect(h.log.match(/redis error/g)).toHaveLength(1);
      expect(h.log).not.toMatch(/bullmq: connect/);
    } finally {
      await p.terminate();
    }
  });

  it('an idle host in a Redis outage exits at once on SIGTERM, not after --grace: there is nothing to finish', async () => {
    const redis = await startRedis();
    onTestFinished(() => redis.stop());
    const h = await host(['--grace', '30000'], undefined, { url: redis.url });
    // Against a grace of 30 s: before, the host waited all of it for BullMQ, which waited for Redis.
    expect(await sigtermInOutage(h, redis)).toBeLessThan(10_000);
    expect(h.log).toMatch(/Redis unreachable: 0 units/);
  });
});

/** Stops Redis under host `h`, then SIGTERMs the host once it has seen the outage: the ms until it exited 0. */
async function sigtermInOutage(h: HostProcess, redis: { stop(): Promise<unknown> }): Promise<number> {
  await redis.stop();
  await until(() => h.log.includes('redis error'), 10_000, 'the host to see Redis gone');
  const code = exited(h);
  const signalled = Date.now();
  h.child.kill('SIGTERM');
  expect(await code).toBe(0);
  return Date.now() - signalled;
}

describe('pool-worker: replies Redis refuses', () => {
  const limits: [string, string[], number, RegExp][] = [
    ["proto-max-bulk-len (1 MB)", ['--proto-max-bulk-len', '1mb'], 2 * 1024 * 1024, /invalid bulk length/],
    ['maxmemory (20 MB)', ['--maxmemory', '20mb'], 30 * 1024 * 1024, /OOM/],
  ];
  for (const [limit, extra, length, why] of limits) {
    it(`a result over Redis's ${limit} fails its call alone with MaybeEncodingError saying why, runs once, and the next call works`, async () => {
      const redis = await startRedis({ extra });
      onTestFinished(() => redis.stop());
      const h = await host([], undefined, { url: redis.url, module: steered });
      const runs = join(scratch, `runs-${h.group}`);
      const p = new Pool({ adapter: bullmq({ connection: redis.url, group: h.group, heartbeat: 200 }), module: 'steered.mjs', processes: 2 });
      try {
        // The timeout only bounds the wait: the call must fail on its own, long before.
        const error = (await p.apply('bigString', [length, runs], { timeout: 20_000 }).catch((e: unknown) => e)) as Error;
        expect(error).toBeInstanceOf(MaybeEncodingError);
        expect(error.message).toMatch(/Redis refused the result/);
        expect(error.message).toMatch(why);
        expect(await p.apply('ok')).toBe('ok');
        expect(readFileSync(runs, 'utf8')).toBe('ran\n');
      } finally {
        await p.terminate();
      }
    });
  }
});
