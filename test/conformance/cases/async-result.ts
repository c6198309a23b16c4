/** `AsyncResult`: Python's ready / successful / wait / get, with millisecond timeouts. */
import { PoolStateError, TimeoutError, type AsyncResult } from '@pool/core';
import type { Harness } from '../harness.js';
import { hostTurn, rejection, thrown, until, watchUnhandled, withPool } from '../harness.js';

export default function asyncResult(h: Harness): void {
  const { describe, it, expect } = h;

  describe('AsyncResult', () => {
    it('ready() and successful() follow the call; successful() throws before it settles', () =>
      withPool(h, {}, async (pool) => {
        const result = pool.applyAsync('sleepThen', [200, 'done']);
        expect(result.ready()).toBe(false);
        expect(thrown(() => result.successful())).toBeInstanceOf(PoolStateError);
        expect(await result).toBe('done');
        expect(result.ready()).toBe(true);
        expect(result.successful()).toBe(true);

        const failed = pool.applyAsync('typeError', ['no']);
        await failed.wait();
        expect(failed.ready()).toBe(true);
        expect(failed.successful()).toBe(false);
      }));

    it('get(ms) rejects TimeoutError when not ready in time, and the task goes on', () =>
      withPool(h, {}, async (pool) => {
        const result = pool.applyAsync('sleepThen', [300, 'late']);
        const error = await rejection(result.get(10));
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as TimeoutError).name).toBe('TimeoutError');
        expect(result.ready()).toBe(false);
        expect(await result.get(10_000)).toBe('late');
      }));

    it('wait(ms) resolves when the time runs out, never rejects, and wait() waits for failures too', () =>
      withPool(h, {}, async (pool) => {
        const slow = pool.applyAsync('sleepThen', [300, 1]);
        await slow.wait(10);
        expect(slow.ready()).toBe(false);
        const failing = pool.applyAsync('asyncReject', ['x']);
        await expect(failing.wait()).resolves.toBeUndefined();
        expect(failing.ready()).toBe(true);
        await slow.wait();
        expect(slow.ready()).toBe(true);
      }));

    it('get() rejects with the task error; a negative timeout is a RangeError', () =>
      withPool(h, {}, async (pool) => {
        const result = pool.applyAsync('typeError', ['bad input']);
        const error = await rejection(result.get());
        expect(error).toBeInstanceOf(TypeError);
        expect(await rejection(result.get(-1))).toBeInstanceOf(RangeError);
        expect(await rejection(result.wait(Number.NaN))).toBeInstanceOf(RangeError);
        // Infinity waits for ever, as no timeout; a finite wait past what a timer keeps is refused, not cut to 1 ms.
        expect(await rejection(result.get(2 ** 31))).toBeInstanceOf(RangeError);
        const slow = pool.applyAsync('sleepThen', [50, 'late']);
        expect(await slow.get(Number.POSITIVE_INFINITY)).toBe('late');
        await slow.wait(Number.POSITIVE_INFINITY);
      }));

    it('errorCallback runs exactly once with the error, before the result settles', () =>
      withPool(h, {}, async (pool) => {
        const calls: unknown[] = [];
        const result: AsyncResult<unknown> = pool.applyAsync('typeError', ['oops'], {
          callback: () => calls.push('callback'),
          errorCallback: (e) => calls.push([(e as Error).message, result.ready()]),
        });
        await result.wait();
        expect(calls).toEqual([['oops', true]]);
      }));

    it('a callback that throws harms neither the result nor the pool', () =>
      withPool(h, {}, async (pool) => {
        const result = pool.applyAsync('square', [3], {
          callback: () => {
            throw new Error('callback bug');
          },
        });
        expect(await result).toBe(9);
        const failed = pool.applyAsync('typeError', ['x'], {
          errorCallback: () => {
            throw new Error('errorCallback bug');
          },
        });
        expect(await rejection(failed)).toBeInstanceOf(TypeError);
        expect(await pool.map('square', [1, 2])).toEqual([1, 4]);
      }));

    it('a rejected result nobody awaits is not an unhandled rejection', () =>
      withPool(h, {}, async (pool) => {
        const unhandled = watchUnhandled();
        try {
          const dropped = [pool.applyAsync('typeError', ['dropped']), pool.mapAsync('typeError', ['a', 'b'])];
          void pool.apply('typeError', ['dropped too']);
          void pool.map('typeError', ['x']);
          await Promise.all(dropped.map((r) => r.wait()));
          expect(dropped.every((r) => r.ready() && !r.successful())).toBe(true);
          // The two promises nobody holds have settled once nothing is pending.
          await until(() => pool.stats().pending === 0, 10_000, 'every call to settle');
          await hostTurn();
          await hostTurn();
          expect(unhandled.reasons).toEqual([]);
        } finally {
          unhandled.stop();
        }
      }));

    it('is PromiseLike: then, catch and finally work as on a Promise', () =>
      withPool(h, {}, async (pool) => {
        expect(await pool.applyAsync('square', [4]).then((v) => v + 1)).toBe(17);
        expect(await pool.applyAsync('typeError', ['c']).catch((e: unknown) => (e as Error).message)).toBe('c');
        let ran = false;
        await pool.applyAsync('square', [1]).finally(() => {
          ran = true;
        });
        expect(ran).toBe(true);
      }));
  });
}
