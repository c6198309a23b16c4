/** Observability: lifecycle events, the progress channel, metrics() and why workers died. */
import { PoolEvent, type PoolEventType } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, killWorker, openPool, recordingAdapter, rejection, thrown, until, withPool } from '../harness.js';

export default function observability(h: Harness): void {
  const { describe, it, expect } = h;
  const module = fixture('service-tasks.mjs');
  // These cases load their own task module: where workers serve a module of their own (a queue's
  // hosts), the pool's `module` only names it, so they cannot run there.
  if (!h.supports.loadsModule || h.supports.bareImports === false) return;
  const channel = 'spawn' in h.adapter();

  describe('events', () => {
    it('call events: queued, started and settled once per call, in that order', () =>
      withPool(h, { module }, async (pool) => {
        const seen: Array<[PoolEventType, unknown]> = [];
        for (const type of ['callqueue', 'callstart', 'callsettle'] as const) {
          pool.addEventListener(type, (event) => {
            expect(event).toBeInstanceOf(PoolEvent);
            seen.push([event.type as PoolEventType, event.detail.call]);
          });
        }
        const a = pool.applyAsync('square', [2]);
        const b = pool.mapAsync('square', [1, 2, 3], { chunksize: 1 });
        const failed = pool.applyAsync('typeError', ['no']);
        await Promise.all([a, b, rejection(failed)]);
        await until(() => seen.filter(([type]) => type === 'callsettle').length === 3, 10_000, 'three callsettle events');
        // `callstart` comes from the executor: core's always reports it, a queue adapter may not.
        const started = seen.some(([type]) => type === 'callstart');
        if (channel) expect(started).toBe(true);
        const expected = started ? ['callqueue', 'callstart', 'callsettle'] : ['callqueue', 'callsettle'];
        for (const call of [a, b, failed]) expect(seen.filter(([, c]) => c === call).map(([type]) => type)).toEqual(expected);
      }));

    it('a listener that throws harms neither the pool nor the call; removed listeners hear nothing', () =>
      withPool(h, { module }, async (pool) => {
        let heard = 0;
        const listener = (): void => {
          heard++;
        };
        pool.addEventListener('callqueue', () => {
          throw new Error('listener bug');
        });
        pool.addEventListener('callqueue', listener);
        expect(await pool.apply('square', [3])).toBe(9);
        pool.removeEventListener('callqueue', listener);
        expect(await pool.apply('square', [4])).toBe(16);
        expect(heard).toBe(1);
        // A misspelt type would never fire: a TypeError, as a misspelt option is.
        const typo = thrown(() => pool.addEventListener('workerExit' as never, listener));
        expect(typo).toBeInstanceOf(TypeError);
        expect((typo as Error).message).toMatch(/^Unknown pool event 'workerExit'; expected one of .*workerexit/);
      }));

    if (channel && h.supports.killable) it('a worker stopped for a cancelled call leaves "cancelled", even when terminate() comes as it stops', async () => {
      const pool = openPool(h, { module: fixture('tasks.mjs'), processes: 1 });
      const reasons: string[] = [];
      pool.addEventListener('workerexit', ({ detail }) => reasons.push(detail.reason));
      const controller = new AbortController();
      const running = pool.applyAsync('sleepThen', [60_000, 'never'], { signal: controller.signal });
      await until(() => pool.stats().busy === 1, 10_000, 'the task to start');
      controller.abort();
      await pool.terminate();
      expect(((await rejection(running)) as Error).name).toBe('AbortError');
      // Where the runtime reports the stopped worker gone at once (Deno), its replacement may have
      // started before terminate(): that one leaves "stopped".
      expect(reasons[0]).toBe('cancelled');
      expect(reasons.slice(1).every((reason) => reason === 'stopped')).toBe(true);
    });

    if (channel) it('worker events: started, ready and exited, with why it left', async () => {
      const seen: string[] = [];
      const pool = openPool(h, { module, processes: 1 });
      pool.addEventListener('workerstart', ({ detail }) => seen.push(`start ${detail.worker}`));
      pool.addEventListener('workerready', ({ detail }) => seen.push(`ready ${detail.worker}`));
      pool.addEventListener('workerexit', ({ detail }) => seen.push(`exit ${detail.worker} ${detail.reason}`));
      try {
        // The first worker was started inside the constructor: listeners added right after it still see it start.
        expect(await pool.apply('square', [2])).toBe(4);
        pool.close();
        await pool.join();
        expect(seen).toEqual(['start 1', 'ready 1', 'exit 1 closed']);
      } finally {
        await pool.terminate();
      }
      const dynamic = openPool(h, { module, processes: undefined, minProcesses: 0, maxProcesses: 1, idleTimeout: 20 });
      const events: string[] = [];
      dynamic.addEventListener('workerstart', ({ detail }) => events.push(`start ${detail.worker}`));
      dynamic.addEventListener('workerready', ({ detail }) => events.push(`ready ${detail.worker}`));
      dynamic.addEventListener('workerexit', ({ detail }) => events.push(`exit ${detail.worker} ${detail.reason}`));
      try {
        expect(await dynamic.apply('square', [3])).toBe(9);
        await until(() => events.includes('exit 1 idle'), 10_000, 'the idle worker to leave');
        expect(events).toEqual(['start 1', 'ready 1', 'exit 1 idle']);
      } finally {
        await dynamic.terminate();
      }
    });
  });

  if (h.supports.progress) describe('progress', () => {
    it('progress(value) inside a task reaches the call\'s onProgress, in order, before the result', () =>
      withPool(h, { module }, async (pool) => {
        const steps: unknown[] = [];
        const result = pool.apply('progressSteps', [5], { onProgress: (value) => steps.push(value) });
        expect(await result).toBe(5);
        expect(steps).toEqual([0, 1, 2, 3, 4].map((step) => ({ step })));
        const perItem: unknown[] = [];
        expect(await pool.map('progressSteps', [1, 2], { chunksize: 1, onProgress: (value) => perItem.push(value) })).toEqual([1, 2]);
        expect(perItem).toHaveLength(3);
      }));

    it('a throwing onProgress harms nothing; a bad onProgress is a TypeError; a call without one ignores progress', () =>
      withPool(h, { module }, async (pool) => {
        expect(await pool.apply('progressSteps', [3], { onProgress: () => { throw new Error('bug'); } })).toBe(3);
        expect(await pool.apply('progressSteps', [3])).toBe(3);
        expect(await rejection(pool.apply('progressSteps', [3], { onProgress: 5 } as never))).toBeInstanceOf(TypeError);
      }));

    it('progress() of a value that cannot cross throws DataCloneError in the task, as an argument would', () =>
      withPool(h, { module }, async (pool) => {
        const seen: unknown[] = [];
        const outcome = await pool.apply('progressUncloneable', [], { onProgress: (value) => seen.push(value) });
        // Where values cross by reference (inline, a queue that keeps them in process) it is sent.
        if (h.supports.cloning) expect(outcome).toBe('DataCloneError ERR_POOL_DATA_CLONE');
        else expect([outcome, seen.length]).toEqual(['sent', 1]);
      }));

    if (h.supports.asyncContext) {
      it('progress() and signal() after their task returned stay with its settled call: never the next call\'s, and the worker lives', () =>
        withPool(h, { module, processes: 1 }, async (pool) => {
          const exits: unknown[] = [];
          pool.addEventListener('workerexit', ({ detail }) => exits.push(detail.reason));
          expect(await pool.apply('progressSteps', [1])).toBe(1); // the worker's first progress()
          const first: unknown[] = [];
          const next: unknown[] = [];
          // Back to back on the one worker: the leftover work runs while the next call does.
          const left = pool.apply('leaveWorkBehind', [], { onProgress: (value) => first.push(value) });
          const waited = pool.apply('awaitLeftover', [], { onProgress: (value) => next.push(value) });
          expect(await left).toBe('returned');
          // The leftover work's signal() was aborted both times: its call is over.
          expect(await waited).toEqual([true, true]);
          expect(first).toEqual(['own']);
          expect(next).toEqual(['mine', 'mine again']);
          expect(exits).toEqual([]);
        }));

      it('progress() after its task returned, on a worker that is idle, is dropped: the worker lives', () =>
        withPool(h, { module, processes: 1 }, async (pool) => {
          const exits: unknown[] = [];
          pool.addEventListener('workerexit', ({ detail }) => exits.push(detail.reason));
          expect(await pool.apply('progressSteps', [1])).toBe(1);
          const first: unknown[] = [];
          expect(await pool.apply('leaveWorkBehind', [], { onProgress: (value) => first.push(value) })).toBe('returned');
          // The leftover microtask ran on the idle worker; the same worker then waits for its timer.
          expect(await pool.apply('awaitLeftover')).toEqual([true, true]);
          expect(first).toEqual(['own']);
          expect(exits).toEqual([]);
        }));
    }
  });

  describe('metrics', () => {
    it('metrics: true records wait and run percentiles; every pool reports its workers', () =>
      withPool(h, { module, metrics: true }, async (pool) => {
        await pool.map('sleepThen', Array.from({ length: 8 }, () => 20), { chunksize: 1 });
        const { units, workers } = pool.metrics();
        if (channel) {
          expect(units!.run.count).toBe(8);
          expect(units!.run.p50).toBeGreaterThanOrEqual(10);
          expect(units!.wait.max).toBeGreaterThanOrEqual(units!.wait.p50);
          expect(workers.length).toBe(pool.stats().workers);
          for (const worker of workers) {
            expect(worker.utilisation).toBeGreaterThanOrEqual(0);
            expect(worker.utilisation).toBeLessThanOrEqual(1);
          }
          expect(workers.reduce((sum, worker) => sum + worker.tasks, 0)).toBe(8);
        }
      }));

    it('without metrics: true, no unit timings are kept', () =>
      withPool(h, { module }, async (pool) => {
        await pool.apply('square', [2]);
        expect(pool.metrics().units).toBe(null);
      }));

    if (channel && h.supports.isolation) it('why a worker died: exit code or signal, reason crashed', async () => {
      const recording = recordingAdapter(h);
      const pool = new (await import('@pool/core')).Pool({ adapter: recording.adapter, module, processes: 1 });
      try {
        await rejection(pool.apply('exitWorker', [7]));
        await until(() => pool.metrics().exits.length === 1, 10_000, 'the exit to be recorded');
        const [exit] = pool.metrics().exits;
        expect(exit).toMatchObject({ worker: 1, reason: 'crashed' });
        expect(exit!.exitCode === 7 || exit!.exitCode === null).toBe(true);
        await until(() => recording.ready().length === 1, 10_000, 'a replacement');
        await killWorker(h, recording.ready()[0]!);
        await until(() => pool.metrics().exits.length === 2, 10_000, 'the kill to be recorded');
        expect(pool.metrics().exits[1]).toMatchObject({ worker: 2, reason: 'crashed' });
      } finally {
        await pool.terminate();
      }
    });
  });
}
