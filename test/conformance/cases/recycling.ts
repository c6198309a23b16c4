/** Recycling beyond maxTasksPerChild: maxMemoryPerChild and maxLifetime, replacement first. */
import { Pool } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, thrown, until, withPool } from '../harness.js';

export default function recycling(h: Harness): void {
  const { describe, it, expect } = h;
  const module = fixture('service-tasks.mjs');
  // These cases load their own task module: where workers serve a module of their own (a queue's
  // hosts), the pool's `module` only names it, so they cannot run there.
  if (!h.supports.loadsModule || h.supports.bareImports === false) return;
  const make = (extra: Record<string, unknown>) => () => new Pool({ adapter: h.adapter(), module, processes: 1, ...extra } as never);

  describe('recycling', () => {
    it('bad maxMemoryPerChild and maxLifetime values are typed errors naming the option', () => {
      for (const [options, Class, name] of [
        [{ maxLifetime: -1 }, RangeError, 'maxLifetime'], [{ maxLifetime: 0 }, RangeError, 'maxLifetime'],
        [{ maxLifetime: 'x' }, TypeError, 'maxLifetime'],
        // Past what a timer keeps (~24.8 days) a runtime fires it at once: workers would recycle without end.
        [{ maxLifetime: 2 ** 31 }, RangeError, 'at most 2147483647 ms'],
      ] as const) {
        const error = thrown(make(options));
        expect(error).toBeInstanceOf(Class);
        expect((error as Error).message).toContain(name);
      }
      if (h.supports.memoryLimit) {
        expect(thrown(make({ maxMemoryPerChild: 0 }))).toBeInstanceOf(RangeError);
        expect(thrown(make({ maxMemoryPerChild: '64' }))).toBeInstanceOf(TypeError);
      } else {
        expect(thrown(make({ maxMemoryPerChild: 64 }))).toBeInstanceOf(TypeError);
      }
    });

    if (h.supports.memoryLimit) it('a worker over maxMemoryPerChild after a task is retired; its replacement started first', () =>
      withPool(h, { module, processes: 1, maxMemoryPerChild: 150 }, async (pool) => {
        const order: string[] = [];
        pool.addEventListener('workerstart', ({ detail }) => order.push(`start ${detail.worker}`));
        pool.addEventListener('workerexit', ({ detail }) => order.push(`exit ${detail.worker} ${detail.reason}`));
        const first = await pool.apply('getWorkerId');
        expect(await pool.apply('allocate', [10])).toBe(10);
        expect(await pool.apply('getWorkerId')).toBe(first);
        await pool.apply('allocate', [200]);
        await until(() => order.includes('exit 1 memory'), 10_000, 'the worker to be retired');
        expect(order.indexOf('start 2')).toBeLessThan(order.indexOf('exit 1 memory'));
        expect(await pool.apply('getWorkerId')).not.toBe(first);
        expect(pool.stats()).toMatchObject({ workers: 1, pending: 0 });
      }));

    if (h.supports.memoryLimit) it('a maxMemoryPerChild below a byte is a limit of one byte, not none: every worker is over it', () =>
      withPool(h, { module, processes: 1, maxMemoryPerChild: 1e-9 }, async (pool) => {
        expect(await pool.apply('getWorkerId')).toBeDefined();
        await until(() => pool.metrics().exits.some((exit) => exit.reason === 'memory'), 10_000, 'the worker to be retired');
      }));

    if (h.supports.memoryLimit && h.supports.memoryMeasured === 'heap') it('garbage a task leaves behind does not count toward maxMemoryPerChild: only what the worker keeps', () =>
      withPool(h, { module, processes: 1, maxMemoryPerChild: 40 }, async (pool) => {
        const first = await pool.apply('getWorkerId');
        // 60 MiB of garbage a call: past the limit every time, until a collection frees it.
        for (let i = 0; i < 6; i++) expect(await pool.apply('churn', [60])).toBe(60);
        expect(await pool.apply('getWorkerId')).toBe(first);
        expect(pool.metrics().exits).toEqual([]);
        // What the worker keeps still counts.
        await pool.apply('allocate', [60]);
        await until(() => pool.metrics().exits.some((exit) => exit.reason === 'memory'), 10_000, 'the worker to be retired');
      }));

    if (h.supports.isolation) it('a worker is retired after maxLifetime, once free; the pool keeps its size', () =>
      withPool(h, { module, processes: 2, maxLifetime: 300 }, async (pool) => {
        const busy = pool.applyAsync('sleepThen', [500, 'done']);
        await until(() => pool.metrics().exits.filter((exit) => exit.reason === 'lifetime').length >= 1, 10_000, 'a worker to reach its lifetime');
        expect(await busy).toBe('done');
        expect(pool.stats().workers).toBeGreaterThanOrEqual(2);
        expect(await pool.map('square', [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
      }));

    if (h.supports.isolation) it('under a stream of calls, a worker reaching maxLifetime has its replacement ready before it leaves', () =>
      withPool(h, { module, processes: 1, maxLifetime: 2_000 }, async (pool) => {
        const order: string[] = [];
        pool.addEventListener('workerready', ({ detail }) => order.push(`ready ${detail.worker}`));
        pool.addEventListener('workerexit', ({ detail }) => order.push(`exit ${detail.worker} ${detail.reason}`));
        let calls = 0;
        while (!order.includes('exit 1 lifetime')) {
          expect(await pool.apply('sleepThen', [5, calls])).toBe(calls);
          calls++;
        }
        expect(order.indexOf('ready 2')).toBeGreaterThanOrEqual(0);
        expect(order.indexOf('ready 2')).toBeLessThan(order.indexOf('exit 1 lifetime'));
      }));
  });
}
