/** Per-call timeout, signal and retries: cancellation that stops the work, not just the wait. */
import { AbortError, Pool, TimeoutError, WorkerExitError, type WorkerHandle } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, recordingAdapter, rejection, thrown, until, withPool } from '../harness.js';

export default function cancellation(h: Harness): void {
  const { describe, it, expect } = h;
  const key = () => `${Date.now()}-${Math.random().toString(36).slice(2)}`;

  describe('timeout', () => {
    it('a queued call that times out is dropped from the queue; the running one is untouched', () =>
      withPool(h, { processes: 1 }, async (pool) => {
        const running = pool.applyAsync('sleepThen', [300, 'kept']);
        await until(() => pool.stats().busy === 1, 10_000, 'the worker to be busy');
        const error = await rejection(pool.apply('square', [2], { timeout: 20 }));
        expect(error).toBeInstanceOf(TimeoutError);
        expect(pool.stats().queued).toBe(0);
        expect(await running).toBe('kept');
        expect(pool.stats().completed).toBe(1);
      }));

    it('a running call that times out has its worker stopped and replaced', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        const error = await rejection(pool.apply('sleepThen', [60_000, 'never'], { timeout: 50 }));
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as TimeoutError).code).toBe('ERR_POOL_TIMEOUT');
        await until(() => pool.stats().workers === 2 && pool.stats().busy === 0, 10_000, 'a replacement worker');
        expect(await pool.map('square', [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
        expect(pool.stats().pending).toBe(0);
      }));

    it('map and imap time out as a whole, leaving nothing queued or pending', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        const items = Array.from({ length: 20 }, () => 60_000);
        expect(await rejection(pool.map('sleepThen', items, { chunksize: 1, timeout: 50 }))).toBeInstanceOf(TimeoutError);
        expect(pool.stats()).toMatchObject({ queued: 0, pending: 0 });
        const iterator = pool.imap('sleepThen', items, { timeout: 50 });
        expect(await rejection(iterator.next())).toBeInstanceOf(TimeoutError);
        expect((await iterator.next()).done).toBe(true);
        await until(() => pool.stats().workers === 2 && pool.stats().busy === 0, 10_000, 'replacement workers');
        expect(pool.stats()).toMatchObject({ queued: 0, pending: 0 });
        expect(await pool.apply('square', [5])).toBe(25);
      }));

    it('a synchronous task that outlives its timeout times its call out, even on a host that cannot act until it ends', () =>
      withPool(h, { processes: 1 }, async (pool) => {
        // inline() runs it on the host's own thread: the timer cannot fire, the late answer times the call out.
        expect(await rejection(pool.apply('busy', [300], { timeout: 50 }))).toBeInstanceOf(TimeoutError);
        // A unit that timed out failed, on every adapter, though inline()'s answer came.
        expect(pool.stats()).toMatchObject({ completed: 0, failed: 1 });
        const before = pool.stats().completed;
        const items = Array.from({ length: 20 }, () => 100);
        expect(await rejection(pool.map('busy', items, { chunksize: 1, timeout: 50 }))).toBeInstanceOf(TimeoutError);
        // The units behind the one that outlived the deadline are dropped, not run.
        expect(pool.stats().completed - before).toBeLessThan(5);
        await until(() => pool.stats().workers === 1 && pool.stats().busy === 0, 10_000, 'the worker to be free');
        expect(pool.stats()).toMatchObject({ queued: 0, pending: 0 });
        expect(await pool.apply('square', [5])).toBe(25);
      }));

    it('a call that finishes in time is not affected, and its timer does not linger', () =>
      withPool(h, {}, async (pool) => {
        expect(await pool.apply('square', [3], { timeout: 10_000 })).toBe(9);
        expect(await pool.map('square', [1, 2], { timeout: 10_000 })).toEqual([1, 4]);
        expect(pool.stats().pending).toBe(0);
      }));
  });

  describe('signal', () => {
    it('aborting rejects AbortError with the reason as cause, and stops the work', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        const controller = new AbortController();
        const result = pool.applyAsync('sleepThen', [60_000, 'never'], { signal: controller.signal });
        await until(() => pool.stats().busy === 1, 10_000, 'the task to start');
        const reason = new Error('user gave up');
        controller.abort(reason);
        const error = (await rejection(result)) as AbortError;
        expect(error).toBeInstanceOf(AbortError);
        expect(error.name).toBe('AbortError');
        expect(error.cause).toBe(reason);
        await until(() => pool.stats().workers === 2 && pool.stats().busy === 0, 10_000, 'a replacement worker');
        expect(await pool.apply('square', [4])).toBe(16);
      }));

    // A channel adapter's sends can be watched: abort at the exact moment the unit is on its way.
    if (h.channel) it('aborting a call sent to an idle worker but not yet started there stops its work: recalled where memory is shared, else the worker is stopped', async () => {
      const controller = new AbortController();
      let receiver: WorkerHandle | undefined;
      const recorder = recordingAdapter(h, {
        afterSend(message, handle) {
          // The unit is on its way. Abort as soon as the pool's dispatch is over: after the
          // dispatch, so the pool must find the unit on the worker, and (a 60 s task) long
          // before it could end by itself.
          if (message.type === 'task' && message.task === 'sleepThen' && !receiver) {
            receiver = handle;
            queueMicrotask(() => controller.abort());
          }
        },
      });
      const pool = new Pool({ adapter: recorder.adapter, module: fixture('tasks.mjs'), processes: 2 });
      try {
        await until(() => recorder.ready().length === 2, 10_000, 'both workers to be ready');
        const result = pool.applyAsync('sleepThen', [60_000, 'never'], { signal: controller.signal });
        expect(await rejection(result)).toBeInstanceOf(AbortError);
        expect(receiver).toBeDefined();
        if (h.supports.sharedMemory) {
          // Recalled through shared memory: the worker skips the unit and stays, unless it had
          // already started it (a thread runs in parallel), in which case it is stopped and replaced.
          await until(() => pool.stats().workers === 2 && pool.stats().busy === 0, 10_000, 'the pool idle at full strength');
          expect(recorder.spawned()).toBe(recorder.exited(receiver!) ? 3 : 2);
        } else {
          // Without shared memory a unit on its way cannot be recalled: the worker is stopped, and replaced.
          await until(() => recorder.exited(receiver!), 10_000, 'the receiving worker to be stopped');
          await until(() => pool.stats().workers === 2 && recorder.spawned() === 3, 10_000, 'its replacement');
        }
        expect(await pool.apply('square', [3])).toBe(9);
      } finally {
        await pool.terminate();
      }
    });

    it('an already-aborted signal rejects at once and runs nothing', () =>
      withPool(h, { processes: 1 }, async (pool) => {
        const signal = AbortSignal.abort('too late');
        // `count` counts its calls in its worker: the aborted call between these two must not run
        // (on a channel, with one worker; a queue's hosts each have their own workers).
        const counted = (await pool.apply('count')) as number;
        const before = pool.stats();
        const error = (await rejection(pool.apply('count', [], { signal }))) as AbortError;
        expect(error).toBeInstanceOf(AbortError);
        expect(error.cause).toBe('too late');
        expect(await rejection(pool.mapAsync('square', [1, 2], { signal }))).toBeInstanceOf(AbortError);
        expect(await rejection(pool.imap('square', [1, 2], { signal }).next())).toBeInstanceOf(AbortError);
        expect(pool.stats().completed).toBe(before.completed);
        expect(pool.stats().pending).toBe(0);
        if (h.channel) expect(await pool.apply('count')).toBe(counted + 1);
      }));

    it('calls sharing one signal hold one abort listener on it, however many are pending; one abort rejects them all', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        // An AbortSignal-shaped object (what the pool accepts) that counts the listeners it holds.
        const listeners = new Set<() => void>();
        let most = 0;
        let aborted = false;
        const signal = {
          get aborted() {
            return aborted;
          },
          reason: undefined as unknown,
          addEventListener(_type: 'abort', listener: () => void) {
            listeners.add(listener);
            most = Math.max(most, listeners.size);
          },
          removeEventListener(_type: 'abort', listener: () => void) {
            listeners.delete(listener);
          },
        };
        const numbers = Array.from({ length: 50 }, (_, i) => i);
        expect(await Promise.all(numbers.map((i) => pool.apply('square', [i], { signal })))).toEqual(numbers.map((i) => i * i));
        expect(most).toBe(1);
        expect(listeners.size).toBe(0); // settled calls leave nothing on the signal
        const pending = [
          ...Array.from({ length: 10 }, () => pool.apply('sleepThen', [60_000, 'never'], { signal })),
          pool.map('sleepThen', [60_000, 60_000], { chunksize: 1, signal }),
        ];
        await until(() => pool.stats().busy > 0, 10_000, 'a call to start');
        expect(most).toBe(1);
        aborted = true;
        signal.reason = 'stop';
        for (const listener of [...listeners]) listener();
        for (const error of await Promise.all(pending.map(rejection))) {
          expect(error).toBeInstanceOf(AbortError);
          expect((error as AbortError).cause).toBe('stop');
        }
        expect(pool.stats().pending).toBe(0);
        await until(() => pool.stats().busy === 0, 10_000, 'the work to stop');
        expect(await pool.apply('square', [4])).toBe(16);
      }));

    it('aborting a signal shared by thousands of queued calls rejects them all and empties the queue at once; none completes', () =>
      withPool(h, { processes: 1 }, async (pool) => {
        const busy = new AbortController();
        const running = pool.applyAsync('sleepThen', [60_000, 'never'], { signal: busy.signal });
        await until(() => pool.stats().busy === 1, 10_000, 'the worker to be busy');
        const controller = new AbortController();
        const queued = Array.from({ length: 5_000 }, (_, i) => pool.apply('square', [i], { signal: controller.signal }));
        await until(() => pool.stats().queued === 5_000, 10_000, 'the calls to be queued');
        const { completed } = pool.stats();
        controller.abort('all of them');
        // At once, before anything else runs: not one call's worth at a time.
        expect(pool.stats()).toMatchObject({ queued: 0, pending: 1 });
        const errors = await Promise.all(queued.map(rejection));
        expect(errors.filter((error) => error instanceof AbortError && error.cause === 'all of them')).toHaveLength(5_000);
        expect(pool.stats().completed).toBe(completed);
        busy.abort();
        expect(await rejection(running)).toBeInstanceOf(AbortError);
        expect(await pool.apply('square', [3])).toBe(9);
        expect(pool.stats()).toMatchObject({ queued: 0, pending: 0 });
      }));

    it('aborting an imap ends the iteration and closes its source', () =>
      withPool(h, {}, async (pool) => {
        const controller = new AbortController();
        let closed = false;
        function* source() {
          try {
            for (let i = 0; ; i++) yield i;
          } finally {
            closed = true;
          }
        }
        const seen: unknown[] = [];
        const error = await rejection((async () => {
          for await (const value of pool.imap('square', source(), { signal: controller.signal })) {
            seen.push(value);
            if (seen.length === 3) controller.abort();
          }
        })());
        expect(error).toBeInstanceOf(AbortError);
        expect(seen).toEqual([0, 1, 4]);
        expect(closed).toBe(true);
        await until(() => pool.stats().pending === 0, 10_000, 'the imap to leave');
      }));

    it('bad timeout, signal and retries options are typed errors', () =>
      withPool(h, {}, async (pool) => {
        expect(thrown(() => pool.applyAsync('square', [1], { timeout: -1 }))).toBeInstanceOf(RangeError);
        expect(thrown(() => pool.applyAsync('square', [1], { timeout: Number.NaN }))).toBeInstanceOf(RangeError);
        // Past what a timer keeps (~24.8 days) a runtime fires it at once: the call would time out at once.
        expect((thrown(() => pool.applyAsync('square', [1], { timeout: 2 ** 31 })) as Error).message).toMatch(/'timeout' to be at most 2147483647 ms/);
        expect(thrown(() => pool.applyAsync('square', [1], { timeout: '5' } as never))).toBeInstanceOf(TypeError);
        expect(thrown(() => pool.applyAsync('square', [1], { signal: {} } as never))).toBeInstanceOf(TypeError);
        expect(thrown(() => pool.applyAsync('square', [1], { retries: -1 }))).toBeInstanceOf(RangeError);
        expect(thrown(() => pool.imap('square', [1], { retries: 0.5 }))).toBeInstanceOf(RangeError);
        expect(await pool.apply('square', [2])).toBe(4);
      }));

    it('a signal-like object that throws when watched, read or unwatched costs only its own call, never the pool or the process', () =>
      withPool(h, {}, async (pool) => {
        const fails = () => {
          throw new Error('broken signal');
        };
        const watchThrows = { aborted: false, addEventListener: fails, removeEventListener() {} };
        const reasonThrows = { aborted: true, get reason() { return fails(); }, addEventListener() {}, removeEventListener() {} };
        for (const signal of [watchThrows, reasonThrows]) {
          const error = thrown(() => pool.applyAsync('square', [1], { signal } as never));
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toMatch(/'signal'.*broken signal/);
          expect(await rejection(pool.apply('square', [1], { signal } as never))).toBeInstanceOf(TypeError);
        }
        // Unwatched as the call settles: its throw is not the call's, nor the pool's, to carry.
        const unwatchThrows = { aborted: false, addEventListener() {}, removeEventListener: fails };
        expect(await pool.apply('square', [3], { signal: unwatchThrows } as never)).toBe(9);
        expect(pool.stats().pending).toBe(0);
        expect(await pool.map('square', [1, 2])).toEqual([1, 4]);
      }));
  });

  if (h.supports.isolation) describe('retries', () => {
    it('a task whose worker dies is run again on another worker, up to `retries` times', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        expect(await pool.apply('dieUntil', [key(), 2], { retries: 2 })).toBe(3);
        const error = await rejection(pool.apply('dieUntil', [key(), 2], { retries: 1 }));
        expect(error).toBeInstanceOf(WorkerExitError);
        const results = await pool.starmap('dieUntil', [[key(), 1], [key(), 0], [key(), 1]], { chunksize: 1, retries: 1 });
        expect(results).toEqual([2, 1, 2]);
        expect(pool.stats().pending).toBe(0);
      }));
  });
}
