/** Dynamic size: minProcesses / maxProcesses / idleTimeout; `processes` alone stays fixed. */
import { Pool } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, thrown, until, withPool } from '../harness.js';

export default function sizing(h: Harness): void {
  const { describe, it, expect } = h;
  const make = (extra: Record<string, unknown>) => () =>
    new Pool({ adapter: h.adapter(), module: fixture('tasks.mjs'), ...extra } as never);

  describe('dynamic size: options', () => {
    it('bad minProcesses, maxProcesses and idleTimeout are typed errors naming the option', () => {
      const cases: Array<[Record<string, unknown>, typeof RangeError | typeof TypeError, string]> = [
        [{ minProcesses: -1, maxProcesses: 2 }, RangeError, 'minProcesses'],
        [{ minProcesses: 1.5, maxProcesses: 2 }, RangeError, 'minProcesses'],
        [{ minProcesses: '1', maxProcesses: 2 }, TypeError, 'minProcesses'],
        [{ maxProcesses: 0 }, RangeError, 'maxProcesses'],
        [{ maxProcesses: 2.5 }, RangeError, 'maxProcesses'],
        [{ maxProcesses: 'x' }, TypeError, 'maxProcesses'],
        [{ minProcesses: 3, maxProcesses: 2 }, RangeError, 'minProcesses'],
        [{ minProcesses: 0, maxProcesses: 2, idleTimeout: -5 }, RangeError, 'idleTimeout'],
        [{ minProcesses: 0, maxProcesses: 2, idleTimeout: Number.POSITIVE_INFINITY }, RangeError, 'idleTimeout'],
        [{ minProcesses: 0, maxProcesses: 2, idleTimeout: '5' }, TypeError, 'idleTimeout'],
        [{ minProcesses: 0, maxProcesses: 2, idleTimeout: 2 ** 31 }, RangeError, "'idleTimeout' to be at most 2147483647 ms"],
        [{ idleTimeout: 100, processes: 2 }, TypeError, 'idleTimeout'],
        [{ processes: 2, maxProcesses: 2 }, TypeError, 'maxProcesses'],
      ];
      for (const [options, Class, name] of cases) {
        const error = thrown(make(options));
        expect(error).toBeInstanceOf(Class);
        expect((error as Error).message).toContain(name);
      }
    });

    if (!h.supports.dynamicSize) it('an adapter that cannot size dynamically refuses minProcesses / maxProcesses', () => {
      expect(thrown(make({ minProcesses: 0, maxProcesses: 2 }))).toBeInstanceOf(TypeError);
    });

    it('processes alone is a fixed size, shown in stats()', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        expect(pool.stats()).toMatchObject({ minProcesses: 2, maxProcesses: 2 });
        expect(await pool.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
        await until(() => pool.stats().workers === 2, 10_000, 'two workers');
      }));
  });

  if (!h.supports.dynamicSize) return;

  describe('dynamic size', () => {
    it('starts workers on demand up to maxProcesses, and retires idle ones down to minProcesses', () =>
      withPool(h, { processes: undefined, minProcesses: 1, maxProcesses: 3, idleTimeout: 150, metrics: true }, async (pool) => {
        expect(pool.stats()).toMatchObject({ minProcesses: 1, maxProcesses: 3, workers: 1 });
        expect(pool.processes).toBe(3);
        const results = Array.from({ length: 6 }, (_, i) => pool.applyAsync('sleepThen', [300, i]));
        await until(() => pool.stats().workers === 3, 10_000, 'three workers');
        expect(pool.stats().workers).toBeLessThanOrEqual(3);
        expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5]);
        await until(() => pool.stats().workers === 1, 10_000, 'idle workers to be retired down to one');
        expect(pool.metrics().exits.filter((exit) => exit.reason === 'idle')).toHaveLength(2);
        expect(await pool.apply('square', [4])).toBe(16);
        expect(pool.stats()).toMatchObject({ workers: 1, pending: 0, queued: 0 });
      }));

    it('minProcesses 0: an idle pool has no workers; a call starts one', () =>
      withPool(h, { processes: undefined, minProcesses: 0, maxProcesses: 2, idleTimeout: 50 }, async (pool) => {
        expect(pool.stats().workers).toBe(0);
        expect(await pool.apply('square', [3])).toBe(9);
        expect(pool.stats().workers).toBeGreaterThanOrEqual(1);
        await until(() => pool.stats().workers === 0, 10_000, 'the idle worker to leave');
        expect(await pool.map('square', [1, 2, 3, 4], { chunksize: 1 })).toEqual([1, 4, 9, 16]);
      }));

    it('processes with minProcesses is the maximum; close() and join() still drain and end', async () => {
      const pool = new Pool({ adapter: h.adapter(), module: fixture('tasks.mjs'), processes: 2, minProcesses: 0, idleTimeout: 60_000 });
      try {
        expect(pool.stats()).toMatchObject({ minProcesses: 0, maxProcesses: 2, workers: 0 });
        const results = pool.map('sleepThen', [50, 50, 50, 50], { chunksize: 1 });
        pool.close();
        expect(await results).toEqual([undefined, undefined, undefined, undefined]);
        await pool.join();
        expect(pool.stats().workers).toBe(0);
      } finally {
        await pool.terminate();
      }
    });

    if (h.supports.isolation) it('a worker that dies is replaced only as far as the work needs', () =>
      withPool(h, { processes: undefined, minProcesses: 1, maxProcesses: 2, idleTimeout: 60_000 }, async (pool) => {
        await pool.apply('exitWorker', [3]).catch(() => {});
        await until(() => pool.stats().workers === 1 && pool.stats().starting === 0, 10_000, 'one worker again');
        expect(await pool.map('square', [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
      }));
  });
}
