/**
 * Fault injection: workers killed from outside at random while thousands of tasks run. With
 * `retries`, every result comes back once and correct; without, every task settles once, with its
 * result or `WorkerExitError`, and the pool is back to full strength afterwards.
 */
import { Pool, WorkerExitError, type WorkerHandle } from '@pool/core';
import type { Harness, RecordingAdapter } from '../harness.js';
import { fixture, killWorker, recordingAdapter, seededRandom, testSeed, until, withSeed } from '../harness.js';

/** A task slow enough (about 1 ms) that kills land mid-task. Sent by its source. */
const slowSquare = (x: number): number => {
  const end = performance.now() + 1;
  while (performance.now() < end);
  return x * x;
};

/** `x * x` after `ms` of work: long units, for cases where a kill must land mid-unit. */
const slowSquareFor = ([x, ms]: [number, number]): number => {
  const end = performance.now() + ms;
  while (performance.now() < end);
  return x * x;
};

type Chaos = { killed: number; stopped: Promise<unknown> };

/**
 * Kills `kills` ready workers from outside, one each time the pool's progress (tasks completed
 * or failed) has moved on by a random step. The steps add up to at most a third of `units`, so
 * every kill lands while work is still queued. Stops early only if `settled()` turns true.
 */
async function chaos(
  h: Harness, pool: Pool, recorder: RecordingAdapter, random: ReturnType<typeof seededRandom>,
  { kills, units, settled }: { kills: number; units: number; settled: () => boolean },
): Promise<Chaos> {
  const progress = (): number => pool.stats().completed + pool.stats().failed;
  const victims = new Set<WorkerHandle>();
  const stops: Promise<unknown>[] = [];
  const maxStep = Math.max(1, Math.floor(units / (3 * kills)));
  let mark = progress();
  for (let i = 0; i < kills; i++) {
    mark += random.int(1, maxStep);
    await until(() => settled() || progress() >= mark, 60_000, `progress to reach ${mark}`);
    if (settled()) break;
    const candidates = (): WorkerHandle[] => recorder.ready().filter((handle) => !victims.has(handle));
    await until(() => settled() || candidates().length > 0, 60_000, 'a ready worker to kill');
    if (settled()) break;
    const ready = candidates();
    const victim = ready[random.int(0, ready.length - 1)]!;
    victims.add(victim);
    // Not awaited: the pool must cope while the worker is still dying.
    stops.push(killWorker(h, victim));
  }
  return { killed: victims.size, stopped: Promise.all(stops) };
}

/** Settles-flag for a promise, without handling its rejection for the caller. */
function watch(promise: PromiseLike<unknown>): () => boolean {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  return () => settled;
}

export default function faults(h: Harness): void {
  const { describe, it, expect } = h;
  // Workers recorded and killed one by one: channel adapters (a queue's hosts have their own fault tests).
  if (!h.supports.isolation || !h.channel || !h.supports.functionTasks) return;

  const processes = 3;
  const open = (recorder: RecordingAdapter): Pool =>
    new Pool({ adapter: recorder.adapter, module: fixture('tasks.mjs'), processes });
  /** The pool is back to its full, ready worker count, and idle. */
  const recovered = (pool: Pool, recorder: RecordingAdapter) =>
    until(() => recorder.ready().length === processes && pool.stats().workers === processes && pool.stats().busy === 0,
      30_000, `${processes} ready workers again`);

  describe('fault injection: a result racing its own cancellation', () => {
    it('a result that arrives after its call was aborted is dropped, and the dying worker takes no new task', async () => {
      const controller = new AbortController();
      let armed = false;
      // The worker has sent its result; the call is aborted just before the pool reads it.
      const recorder = recordingAdapter(h, {
        beforeMessage: (message) => {
          if (armed && message.type === 'ok') {
            armed = false;
            controller.abort('too late');
          }
        },
      });
      const pool = new Pool({ adapter: recorder.adapter, module: fixture('tasks.mjs'), processes: 1 });
      try {
        await until(() => recorder.ready().length === 1, 30_000, 'the worker to be ready');
        armed = true;
        const aborted = pool.apply('square', [2], { signal: controller.signal });
        const next = pool.apply('square', [3]);
        expect(await aborted.then(() => 'fulfilled', (error: unknown) => (error as Error).name)).toBe('AbortError');
        // The innocent next call runs on the replacement, not on the worker being stopped.
        expect(await next).toBe(9);
        expect(pool.stats()).toMatchObject({ busy: 0, completed: 1, failed: 1, pending: 0 });
        await until(() => recorder.ready().length === 1 && pool.stats().workers === 1, 30_000, 'a replacement worker');
        expect(pool.stats().busy).toBe(0);
      } finally {
        await pool.terminate();
      }
    });
  });

  // Each path the pool has: the running unit tracked through shared memory; and, without it, the
  // units a dead worker held re-run one at a time to find the one that killed it.
  for (const sharedMemory of h.supports.sharedMemory ? [true, false] : [false]) describe(`fault injection: workers killed from outside (${sharedMemory ? 'batched answers, shared progress' : 'batched answers, suspects re-run alone'})`, () => {
    const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
    /** What each worker holds: for each unit sent and not yet answered, its channel id and first argument. */
    type Held = Map<WorkerHandle, Map<number, unknown>>;
    /**
     * One worker, whose pace is known: it holds many short units at once and answers them
     * together. `held` follows what each worker holds, from the messages on its channel.
     */
    const warmSingle = async (held: Held): Promise<{ pool: Pool; recorder: RecordingAdapter }> => {
      const of = (handle: WorkerHandle): Map<number, unknown> => held.get(handle) ?? held.set(handle, new Map()).get(handle)!;
      const recorder = recordingAdapter(h, {
        sharedMemory,
        afterSend: (message, handle) => {
          if (message.type === 'task') of(handle).set(message.id, message.args[0]);
          if (message.type !== 'batch') return;
          for (let i = 0; i < message.args.length; i++) of(handle).set(message.id + i, message.single ? message.args[i] : (message.args[i] as unknown[])[0]);
        },
        beforeMessage: (message, handle) => {
          if (!handle) return;
          if (message.type === 'ok' || message.type === 'error') of(handle).delete(message.id);
          if (message.type === 'values') for (let i = 0; i < message.values.length; i++) of(handle).delete(message.id + i);
        },
      });
      const pool = new Pool({ adapter: recorder.adapter, module: fixture('tasks.mjs'), processes: 1 });
      for (let round = 0; round < 3; round++) await Promise.all(range(300).map((i) => pool.apply('square', [i])));
      return { pool, recorder };
    };
    /** What the first worker to die held when it died (all its messages are in before its exit). */
    const heldAtFirstDeath = (held: Held, recorder: RecordingAdapter): unknown[] => {
      const dead = [...held.keys()].find((handle) => recorder.exited(handle));
      return dead ? [...held.get(dead)!.values()] : [];
    };

    it('a unit that kills its worker while the worker holds others fails alone; every other call succeeds, once', async () => {
      const held: Held = new Map();
      const { pool, recorder } = await warmSingle(held);
      try {
        const k = 150;
        const settled = new Array<number>(300).fill(0);
        const results = await Promise.allSettled(range(300).map((i) => pool.applyAsync('squareOrExit', [i, k], {
          callback: () => settled[i]!++,
          errorCallback: () => settled[i]!++,
        })));
        expect(settled.every((c) => c === 1)).toBe(true);
        expect(results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []))).toEqual([k]);
        expect((results[k] as PromiseRejectedResult).reason).toBeInstanceOf(WorkerExitError);
        for (const [i, r] of results.entries()) if (i !== k) expect(r).toEqual({ status: 'fulfilled', value: i * i });
        expect(pool.stats()).toMatchObject({ completed: 900 + 299, failed: 1, pending: 0, queued: 0 });
        // The case this is about: the worker held other units besides the killer when it died.
        const first = heldAtFirstDeath(held, recorder);
        expect(first).toContain(k);
        expect(first.length).toBeGreaterThan(1);
        // Tracked, the death is pinned at once; else the killer ran again alone, and died again.
        expect(recorder.spawned() - 1).toBe(sharedMemory ? 1 : 2);
      } finally {
        await pool.terminate();
      }
    });

    it('with retries, a unit that always kills its worker is re-run `retries` times and fails alone; a map with it rejects', async () => {
      const held: Held = new Map();
      const { pool, recorder } = await warmSingle(held);
      try {
        const k = 100;
        const results = await Promise.allSettled(range(200).map((i) => pool.apply('squareOrExit', [i, k], { retries: 2 })));
        expect(results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []))).toEqual([k]);
        expect((results[k] as PromiseRejectedResult).reason).toBeInstanceOf(WorkerExitError);
        for (const [i, r] of results.entries()) if (i !== k) expect(r).toEqual({ status: 'fulfilled', value: i * i });
        const first = heldAtFirstDeath(held, recorder);
        expect(first).toContain(k);
        expect(first.length).toBeGreaterThan(1);
        // Blamed three times (its run and two retries); the death it shared with others is not counted.
        expect(recorder.spawned() - 1).toBe(sharedMemory ? 3 : 4);
        // In a map, the item's death fails the map; the other items leave nothing behind.
        const mapped = pool.starmap('squareOrExit', range(200).map((i) => [i, k]), { chunksize: 1 });
        expect(await mapped.then(() => 'fulfilled', (error: unknown) => error)).toBeInstanceOf(WorkerExitError);
        await until(() => pool.stats().queued === 0 && pool.stats().busy === 0, 30_000, 'the rest of the map to drain');
        expect(pool.stats().pending).toBe(0);
        expect(await pool.map('square', range(50), { chunksize: 1 })).toEqual(range(50).map((i) => i * i));
      } finally {
        await pool.terminate();
      }
    });

    it('with retries, a map of thousands of items under random kills returns every result, correct and once', () => {
      const seed = testSeed(0xfa017);
      return withSeed(seed, async () => {
        const random = seededRandom(seed);
        const recorder = recordingAdapter(h, { sharedMemory });
        const pool = open(recorder);
        try {
          const items = Array.from({ length: 2000 }, (_, i) => i);
          const mapped = pool.map(slowSquare, items, { chunksize: 2, retries: 100 });
          const { killed, stopped } = await chaos(h, pool, recorder, random, { kills: 8, units: 1000, settled: watch(mapped) });
          expect(await mapped).toEqual(items.map((x) => x * x));
          await stopped;
          expect(killed).toBe(8);
          await recovered(pool, recorder);
          // Every killed worker was replaced exactly once: no respawn storm, no missing worker.
          expect(recorder.spawned()).toBe(processes + killed);
          expect(pool.stats()).toMatchObject({ pending: 0, queued: 0, state: 'RUN' });
          expect(await pool.apply('square', [12])).toBe(144);
        } finally {
          await pool.terminate();
        }
      });
    });

    it('with retries, imapUnordered under random kills yields every result exactly once', () => {
      const seed = testSeed(0xfa018);
      return withSeed(seed, async () => {
        const random = seededRandom(seed);
        const recorder = recordingAdapter(h, { sharedMemory });
        const pool = open(recorder);
        try {
          const n = 1500;
          const seen: number[] = [];
          const consumed = (async () => {
            for await (const y of pool.imapUnordered(slowSquare, Array.from({ length: n }, (_, i) => i), { retries: 100 })) {
              seen.push(y as number);
            }
          })();
          const { killed, stopped } = await chaos(h, pool, recorder, random, { kills: 6, units: n, settled: watch(consumed) });
          await consumed;
          await stopped;
          expect(killed).toBe(6);
          expect(seen.length).toBe(n);
          expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i * i));
          await recovered(pool, recorder);
          expect(pool.stats()).toMatchObject({ pending: 0, queued: 0 });
        } finally {
          await pool.terminate();
        }
      });
    });

    it('without retries, every applyAsync settles exactly once: its result or WorkerExitError, none missing', () => {
      const seed = testSeed(0xfa019);
      return withSeed(seed, async () => {
        const random = seededRandom(seed);
        const recorder = recordingAdapter(h, { sharedMemory });
        const pool = open(recorder);
        try {
          // Long units (10 ms): a worker holds one at a time (`batching.ts`), so a kill lands on
          // the unit it runs. With shorter units it holds one ahead, and where memory is not
          // shared a death with two units held blames neither: both re-run alone and, killed from
          // outside rather than by a unit, succeed (the README's "fails no task").
          const n = 300;
          const settledCount = new Array<number>(n).fill(0);
          const results = Array.from({ length: n }, (_, i) => pool.applyAsync(slowSquareFor, [[i, 10]], {
            callback: () => settledCount[i]!++,
            errorCallback: () => settledCount[i]!++,
          }));
          const all = Promise.allSettled(results);
          const { killed, stopped } = await chaos(h, pool, recorder, random, { kills: 8, units: n, settled: watch(all) });
          const outcomes = await all;
          await stopped;
          expect(killed).toBe(8);
          expect(settledCount.every((c) => c === 1)).toBe(true);
          let failures = 0;
          outcomes.forEach((outcome, i) => {
            if (outcome.status === 'fulfilled') {
              expect(outcome.value).toBe(i * i);
            } else {
              expect(outcome.reason).toBeInstanceOf(WorkerExitError);
              failures++;
            }
          });
          // A death fails only the task its worker was running: at most one per kill, and every
          // kill landed on a busy worker (work was queued), so at least one failed.
          expect(failures).toBeGreaterThanOrEqual(1);
          expect(failures).toBeLessThanOrEqual(killed);
          expect(pool.stats()).toMatchObject({ completed: n - failures, failed: failures, pending: 0, queued: 0 });
          await recovered(pool, recorder);
          expect(recorder.spawned()).toBe(processes + killed);
          expect(await pool.map('square', [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
        } finally {
          await pool.terminate();
        }
      });
    });

    it('without retries, a map under a kill rejects WorkerExitError, and the pool carries on', () => {
      const seed = testSeed(0xfa01a);
      return withSeed(seed, async () => {
        const random = seededRandom(seed);
        const recorder = recordingAdapter(h, { sharedMemory });
        const pool = open(recorder);
        try {
          // Long units (20 ms), held one at a time: a worker is almost never between units, so a
          // kill lands mid-unit. (A kill between units fails nothing, by design: the pool knows
          // nothing was running, where memory is shared.)
          const mapped = pool.map(slowSquareFor, Array.from({ length: 240 }, (_, i): [number, number] => [i, 10]), { chunksize: 2 });
          const { killed, stopped } = await chaos(h, pool, recorder, random, { kills: 3, units: 120, settled: watch(mapped) });
          expect(await mapped.then(() => 'fulfilled', (error: unknown) => error)).toBeInstanceOf(WorkerExitError);
          await stopped;
          expect(killed).toBe(3);
          await until(() => pool.stats().busy === 0 && pool.stats().queued === 0, 30_000, 'the rest of the map to drain');
          await recovered(pool, recorder);
          expect(pool.stats().pending).toBe(0);
          expect(await pool.map('square', [4, 5], { chunksize: 1 })).toEqual([16, 25]);
        } finally {
          await pool.terminate();
        }
      });
    });
  });
}
