/** Every option is checked eagerly, with the error class DESIGN.md names. */
import { inline, Pool } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, rejection, thrown, withPool } from '../harness.js';

export default function options(h: Harness): void {
  const { describe, it, expect } = h;
  const make = (extra: Record<string, unknown>) => () =>
    new Pool({ adapter: h.adapter(), module: fixture('tasks.mjs'), processes: 1, ...extra } as never);

  describe('options', () => {
    it('processes must be an integer ≥ 1 (CPython test_make_pool)', () => {
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        const error = thrown(make({ processes: bad }));
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toContain('processes');
      }
      const text = thrown(make({ processes: '2' })) as Error;
      expect(text).toBeInstanceOf(TypeError);
      // A string shows in quotes: "got '2'", not "got 2", which would read as a valid number.
      expect(text.message).toBe("Expected 'processes' to be an integer ≥ 1, got '2'");
    });

    it('maxTasksPerChild must be an integer ≥ 1 (CPython test_pool_maxtasksperchild_invalid)', () => {
      for (const bad of [0, -1, 2.5]) expect(thrown(make({ maxTasksPerChild: bad }))).toBeInstanceOf(RangeError);
      expect(thrown(make({ maxTasksPerChild: 'x' }))).toBeInstanceOf(TypeError);
    });

    it('adapter is required; module, initializer and initargs are type-checked; unknown keys are refused', () => {
      expect(thrown(() => new Pool({} as never))).toBeInstanceOf(TypeError);
      expect(thrown(() => new Pool(undefined as never))).toBeInstanceOf(TypeError);
      expect(thrown(() => new Pool({ adapter: {} } as never))).toBeInstanceOf(TypeError);
      expect(thrown(make({ module: 42 }))).toBeInstanceOf(TypeError);
      expect(thrown(make({ module: '' }))).toBeInstanceOf(TypeError);
      expect(thrown(make({ initializer: 42 }))).toBeInstanceOf(TypeError);
      expect(thrown(make({ initargs: 42 }))).toBeInstanceOf(TypeError);
      const typo = thrown(make({ maxtasksperchild: 2 }));
      expect(typo).toBeInstanceOf(TypeError);
      expect((typo as Error).message).toContain('maxtasksperchild');
    });

    it('the processes default is the adapter\'s available parallelism', async () => {
      const adapter = h.adapter();
      const pool = new Pool({ adapter, module: fixture('tasks.mjs') });
      try {
        expect(pool.processes).toBe(adapter.defaultProcesses());
        expect(pool.processes).toBeGreaterThanOrEqual(1);
        expect(await pool.apply('square', [2])).toBe(4);
      } finally {
        await pool.terminate();
      }
    });

    it('inline() defaults to the runtime\'s available parallelism (on Node 20 too, which has no navigator)', async () => {
      // Where there is a node:os (Node, Deno, Bun), its figure; in a browser, the navigator's.
      const os = (await import('node:os').catch(() => undefined)) as { availableParallelism(): number } | undefined;
      const expected = os?.availableParallelism() ?? (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
      expect(expected).toBeGreaterThan(0);
      expect(inline().defaultProcesses()).toBe(expected);
      expect(inline({ concurrency: 3 }).defaultProcesses()).toBe(3);
    });

    it("inline()'s options are checked as the pool's are: a bad concurrency or an unknown key throws", () => {
      for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) expect(thrown(() => inline({ concurrency: bad }))).toBeInstanceOf(RangeError);
      for (const bad of ['x', '2', null]) expect(thrown(() => inline({ concurrency: bad as never }))).toBeInstanceOf(TypeError);
      expect(thrown(() => inline({ concurency: 2 } as never))).toBeInstanceOf(TypeError);
      expect(thrown(() => inline(5 as never))).toBeInstanceOf(TypeError);
      expect(inline(undefined).defaultProcesses()).toBeGreaterThan(0);
    });

    it('per-call options are checked: unknown keys, bad callbacks, bad transfer', () =>
      withPool(h, {}, async (pool) => {
        expect(thrown(() => pool.applyAsync('square', [1], { chunksize: 2 } as never))).toBeInstanceOf(TypeError);
        // Named after the method the caller knows: apply() and applyAsync() take the same options.
        expect(((await rejection(pool.apply('square', [1], { chunksize: 2 } as never))) as Error).message).toMatch(/^Unknown apply option 'chunksize'/);
        expect(thrown(() => pool.applyAsync('square', [1], { callback: 5 } as never))).toBeInstanceOf(TypeError);
        expect(thrown(() => pool.mapAsync('square', [1], { errorCallback: 'x' } as never))).toBeInstanceOf(TypeError);
        expect(thrown(() => pool.applyAsync('square', [1], { transfer: 'x' } as never))).toBeInstanceOf(TypeError);
        // Alike on every adapter, whether or not it moves anything: a number or null can never be moved.
        for (const item of [5, null]) {
          const error = thrown(() => pool.applyAsync('square', [1], { transfer: [item] } as never));
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toMatch(/Expected each item of 'transfer' to be a transferable object .* at index 0/);
        }
        expect(thrown(() => pool.applyAsync('square', [1], 'opts' as never))).toBeInstanceOf(TypeError);
        expect(await rejection(pool.map('square', [1], { bogus: true } as never))).toBeInstanceOf(TypeError);
        // None of that cost the pool anything.
        expect(await pool.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
        expect(pool.stats().pending).toBe(0);
      }));
  });
}
