/** Backpressure: maxQueue bounds queued units; QueueFullError when full; pool.ready() awaits room. */
import { Pool, PoolStateError, QueueFullError, TerminatedError } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, rejection, thrown, until, withPool } from '../harness.js';

export default function backpressure(h: Harness): void {
  const { describe, it, expect } = h;

  describe('backpressure', () => {
    it('bad maxQueue values are typed errors naming the option', () => {
      const make = (maxQueue: unknown) => () => new Pool({ adapter: h.adapter(), module: fixture('tasks.mjs'), processes: 1, maxQueue } as never);
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        const error = thrown(make(bad));
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toContain('maxQueue');
      }
      expect(thrown(make('10'))).toBeInstanceOf(TypeError);
    });

    it('a full queue refuses calls with QueueFullError, queueing nothing; the pool carries on', () =>
      withPool(h, { processes: 1, maxQueue: 2 }, async (pool) => {
        const running = pool.applyAsync('sleepThen', [200, 'first']);
        await until(() => pool.stats().busy === 1, 10_000, 'the worker to be busy');
        const queued = [pool.applyAsync('square', [2]), pool.applyAsync('square', [3])];
        expect(pool.stats().queued).toBe(2);
        const error = thrown(() => pool.applyAsync('square', [4]));
        expect(error).toBeInstanceOf(QueueFullError);
        expect((error as QueueFullError).code).toBe('ERR_POOL_QUEUE_FULL');
        expect((error as QueueFullError).maxQueue).toBe(2);
        expect(await rejection(pool.apply('square', [5]))).toBeInstanceOf(QueueFullError);
        expect(await rejection(pool.map('square', [1, 2]))).toBeInstanceOf(QueueFullError);
        expect(pool.stats()).toMatchObject({ queued: 2, pending: 3 });
        expect(await running).toBe('first');
        expect(await Promise.all(queued)).toEqual([4, 9]);
        await pool.ready();
        expect(await pool.apply('square', [6])).toBe(36);
      }));

    if (h.channel) it('a burst to an idle worker admits maxQueue calls beyond the one it starts, on every adapter alike', () =>
      withPool(h, { processes: 1, maxQueue: 2 }, async (pool) => {
        await pool.apply('square', [1]);
        // The first goes to the idle worker: handed over but not yet started, it waits behind nothing.
        const admitted = [pool.applyAsync('sleepThen', [50, 'a']), pool.applyAsync('square', [2]), pool.applyAsync('square', [3])];
        expect(thrown(() => pool.applyAsync('square', [4]))).toBeInstanceOf(QueueFullError);
        expect(await Promise.all(admitted)).toEqual(['a', 4, 9]);
      }));

    // 20,000 calls; where every call is a network round trip, a share of them (the harness's
    // `scale`), never under 2,000: still over 30 times the bound.
    const calls = Math.max(2_000, Math.round(20_000 * (h.scale ?? 1) / 100) * 100);
    it('a producer loop that awaits pool.ready() keeps queued ≤ maxQueue over thousands of calls', () =>
      withPool(h, { processes: 2, maxQueue: 64 }, async (pool) => {
        let maxQueued = 0;
        let sum = 0;
        let settled = 0;
        for (let i = 0; i < calls; i++) {
          await pool.ready();
          pool.applyAsync('square', [i % 100], {
            callback: (value: number) => {
              sum += value;
              settled++;
            },
          });
          maxQueued = Math.max(maxQueued, pool.stats().queued);
        }
        await until(() => settled === calls, 30_000, 'every call to settle');
        expect(maxQueued).toBeLessThanOrEqual(64);
        expect(sum).toBe((calls / 100) * (99 * 100 * 199) / 6);
        expect(pool.stats()).toMatchObject({ pending: 0, queued: 0 });
      }));

    const producers = Math.max(500, calls / 10);
    it('producers waiting on ready() by the thousand are let in first come, first served, and every call completes', () =>
      withPool(h, { processes: 1, maxQueue: 4 }, async (pool) => {
        // A full queue first, so that every producer below waits.
        const running = pool.applyAsync('sleepThen', [100, 'first']);
        await until(() => pool.stats().busy === 1, 10_000, 'the worker to be busy');
        const queued = Array.from({ length: 4 }, (_, i) => pool.applyAsync('square', [i]));
        const letIn: number[] = [];
        let maxQueued = 0;
        const results = Promise.all(Array.from({ length: producers }, async (_, i) => {
          for (let first = true; ; first = false) {
            await pool.ready();
            if (first) letIn.push(i);
            const result = pool.apply('square', [i % 100]);
            maxQueued = Math.max(maxQueued, pool.stats().queued);
            try {
              return await result;
            } catch (error) {
              if (!(error instanceof QueueFullError)) throw error; // let in with others; waits again
            }
          }
        }));
        expect(letIn).toEqual([]);
        expect(await running).toBe('first');
        expect(await Promise.all(queued)).toEqual([0, 1, 4, 9]);
        expect(await results).toEqual(Array.from({ length: producers }, (_, i) => (i % 100) ** 2));
        expect(letIn).toEqual(Array.from({ length: producers }, (_, i) => i));
        expect(maxQueued).toBeLessThanOrEqual(4);
        expect(pool.stats()).toMatchObject({ pending: 0, queued: 0 });
      }));

    it('producers that await ready() together are let in no more than there is room: none is refused', () =>
      withPool(h, { processes: 1, maxQueue: 2 }, async (pool) => {
        let refused = 0;
        const produce = async (id: number): Promise<number[]> => {
          const calls: Array<Promise<unknown>> = [];
          for (let i = 0; i < 10; i++) {
            await pool.ready();
            try {
              calls.push(pool.applyAsync('sleepThen', [2, id * 100 + i]) as PromiseLike<unknown> as Promise<unknown>);
            } catch (error) {
              if (!(error instanceof QueueFullError)) throw error;
              refused++;
            }
          }
          return (await Promise.all(calls)) as number[];
        };
        const results = await Promise.all([0, 1, 2].map(produce));
        expect(refused).toBe(0);
        expect(results).toEqual([0, 1, 2].map((id) => Array.from({ length: 10 }, (_, i) => id * 100 + i)));
      }));

    it('a map is admitted whole while there is room; imap keeps its own bound', () =>
      withPool(h, { processes: 1, maxQueue: 2 }, async (pool) => {
        const items = Array.from({ length: 40 }, (_, i) => i);
        const mapped = pool.map('square', items, { chunksize: 1 });
        const read: number[] = [];
        for await (const value of pool.imap('square', items)) read.push(value);
        expect(await mapped).toEqual(items.map((x) => x * x));
        expect(read).toEqual(items.map((x) => x * x));
      }));

    it('ready() resolves at once without maxQueue, and rejects once the pool stops taking work', async () => {
      const pool = new Pool({ adapter: h.adapter(), module: fixture('tasks.mjs'), processes: 1, maxQueue: 1 });
      try {
        pool.applyAsync('sleepThen', [100, 0]);
        await until(() => pool.stats().busy === 1, 10_000, 'the worker to be busy');
        pool.applyAsync('sleepThen', [100, 1]);
        expect(pool.stats().queued).toBe(1);
        const waiting = pool.ready();
        await pool.terminate();
        expect(await rejection(waiting)).toBeInstanceOf(TerminatedError);
        expect(await rejection(pool.ready())).toBeInstanceOf(PoolStateError);
      } finally {
        await pool.terminate();
      }
      await withPool(h, {}, async (free) => {
        await free.ready();
        expect(await free.apply('square', [2])).toBe(4);
      });
    });
  });
}
