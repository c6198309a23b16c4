/**
 * Cancellation that costs a worker only when it must: units a worker holds but has not started
 * are recalled where memory is shared; a running task sees its signal() abort and has
 * `cancelGrace` ms to stop before its worker is stopped.
 */
import { AbortError, Pool, TimeoutError } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, rejection, thrown, until, withPool } from '../harness.js';

export default function cooperativeCancel(h: Harness): void {
  const { describe, it, expect } = h;
  const module = fixture('service-tasks.mjs');
  // Its tasks import `signal()` from '@pool/core/worker' by bare specifier: not where workers cannot resolve one.
  if (!h.supports.loadsModule || h.supports.bareImports === false) return;
  const cancelledExits = (pool: Pool) => pool.metrics().exits.filter((exit) => exit.reason === 'cancelled').length;

  describe('cooperative cancellation', () => {
    it('bad cancelGrace values are typed errors naming the option', () => {
      const make = (cancelGrace: unknown) => () => new Pool({ adapter: h.adapter(), module, processes: 1, cancelGrace } as never);
      expect((thrown(make(-1)) as Error).message).toContain('cancelGrace');
      expect(thrown(make(-1))).toBeInstanceOf(RangeError);
      expect(thrown(make('5'))).toBeInstanceOf(TypeError);
      expect((thrown(make(2 ** 31)) as Error).message).toContain("'cancelGrace' to be at most 2147483647 ms");
      if (!h.supports.cooperativeCancel) expect(thrown(make(100))).toBeInstanceOf(TypeError);
    });

    if (h.supports.cooperativeCancel) {
      it('a task that stops on its signal() within cancelGrace keeps its worker', () =>
        withPool(h, { module, processes: 1, cancelGrace: 5_000 }, async (pool) => {
          const before = await pool.apply('getWorkerId');
          const controller = new AbortController();
          const result = pool.applyAsync('cooperative', [60_000], { signal: controller.signal });
          await until(() => pool.stats().busy === 1, 10_000, 'the task to start');
          controller.abort();
          expect(await rejection(result)).toBeInstanceOf(AbortError);
          await until(() => pool.stats().busy === 0, 10_000, 'the task to stop on its own');
          expect(await pool.apply('getWorkerId')).toBe(before);
          expect(cancelledExits(pool)).toBe(0);
        }));

      it('a task that ignores its signal is stopped once cancelGrace has passed', () =>
        withPool(h, { module, processes: 1, cancelGrace: 100 }, async (pool) => {
          const before = await pool.apply('getWorkerId');
          expect(await rejection(pool.apply('stubborn', [60_000], { timeout: 50 }))).toBeInstanceOf(TimeoutError);
          if (h.supports.isolation) {
            await until(() => cancelledExits(pool) === 1, 10_000, 'the worker to be stopped');
            expect(await pool.apply('getWorkerId')).not.toBe(before);
          }
          expect(await pool.apply('square', [3])).toBe(9);
        }));
    }

    if (h.supports.sharedMemory && h.supports.isolation) it('a unit held behind a running one is recalled without stopping the worker', () =>
      withPool(h, { module, processes: 1 }, async (pool) => {
        // Tiny tasks first, so the worker's window opens: it then holds several units at once.
        await pool.map('square', Array.from({ length: 2_000 }, (_, i) => i), { chunksize: 1 });
        const before = await pool.apply('getWorkerId');
        const controller = new AbortController();
        // Handed to the worker (callstart), which then holds the second behind the first.
        let handed = 0;
        pool.addEventListener('callstart', () => void handed++);
        // The first unit blocks its worker until released, however slow the machine.
        const latch = new Int32Array(new SharedArrayBuffer(4));
        const blocking = pool.applyAsync('blockOn', [latch.buffer]);
        const held = pool.applyAsync('square', [5], { signal: controller.signal });
        await until(() => handed === 2, 10_000, 'both units to be sent');
        controller.abort();
        expect(await rejection(held)).toBeInstanceOf(AbortError);
        Atomics.store(latch, 0, 7);
        Atomics.notify(latch, 0);
        expect(await blocking).toBe(7);
        expect(await pool.apply('getWorkerId')).toBe(before);
        expect(cancelledExits(pool)).toBe(0);
        expect(pool.stats()).toMatchObject({ pending: 0, busy: 0 });
      }));
  });
}
