/**
 * `terminate()` at random moments during bursts of `map`, `imap` and `applyAsync`: it resolves
 * promptly, every result settles (its value or `TerminatedError`), and no worker is left.
 */
import { Pool, PoolStateError, TerminatedError } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, recordingAdapter, seededRandom, testSeed, thrown, until, withSeed, within } from '../harness.js';

/** About 0.2 ms of work per item, so that terminate() finds work queued and running. */
const spinSquare = (x: number): number => {
  const end = performance.now() + 0.2;
  while (performance.now() < end);
  return x * x;
};

/** 20 rounds in all, in tests of 5 so that each stays well inside a test timeout on processes. */
const tests = 4;
const rounds = 5;
/** Generous: terminate() must not wait for tasks, only for workers to stop. */
const terminateDeadline = 15_000;

export default function terminateChaos(h: Harness): void {
  const { describe, it, expect } = h;
  // Workers recorded through the channel, and function tasks: channel adapters.
  if (!h.supports.functionTasks) return;

  describe('terminate() at random moments', () => {
    for (let test = 0; test < tests; test++) it(`${rounds} rounds of map, imap and applyAsync bursts (${test + 1}/${tests}): terminate resolves, every result settles, no worker is left`, () => {
      const seed = testSeed(0x7e4a1 + test);
      return withSeed(seed, async () => {
        const random = seededRandom(seed);
        for (let round = 0; round < rounds; round++) {
          // A channel adapter's workers are watched one by one; a queue's through its counts alone.
          const recorder = h.channel ? recordingAdapter(h) : undefined;
          const pool = new Pool({ adapter: recorder?.adapter ?? h.adapter(), module: fixture('tasks.mjs'), processes: 2 });
          const mapItems = Array.from({ length: 240 }, (_, i) => i);
          const mapped = pool.map(spinSquare, mapItems, { chunksize: 3 });
          const mapOutcome = mapped.then((values) => ({ values }), (error: unknown) => ({ error }));
          const seen: unknown[] = [];
          const consumed = (async () => {
            function* source() {
              for (let i = 0; i < 200; i++) yield i;
            }
            try {
              for await (const y of pool.imap(spinSquare, source(), { chunksize: 2 })) seen.push(y);
              return undefined;
            } catch (error) {
              return error;
            }
          })();
          const applied = Array.from({ length: 100 }, (_, i) => pool.applyAsync(spinSquare, [i]));
          // Units: 80 map chunks + 100 imap chunks + 100 applies. Sometimes terminate at once,
          // sometimes after everything finished; mostly somewhere in between.
          const units = 280;
          const at = random.next() < 0.15 ? 0 : random.int(1, units + 20);
          const progress = (): number => pool.stats().completed + pool.stats().failed;
          await until(() => progress() >= at || progress() >= units, 30_000, `round ${round}: progress to ${at}`);

          await within(pool.terminate(), terminateDeadline, `round ${round}: terminate()`);
          expect(pool.state).toBe('TERMINATE');
          expect(pool.stats()).toMatchObject({ workers: 0, busy: 0, queued: 0, pending: 0 });
          if (recorder) expect(recorder.live()).toBe(0);
          // Every AsyncResult has settled by the time terminate() resolves.
          expect(applied.every((result) => result.ready())).toBe(true);
          const outcomes = await Promise.allSettled(applied);
          outcomes.forEach((outcome, i) => {
            if (outcome.status === 'fulfilled') expect(outcome.value).toBe(i * i);
            else expect(outcome.reason).toBeInstanceOf(TerminatedError);
          });
          const map = await within(mapOutcome, 5_000, `round ${round}: map`);
          if ('error' in map) expect(map.error).toBeInstanceOf(TerminatedError);
          else expect(map.values).toEqual(mapItems.map((x) => x * x));
          const imapError = await within(consumed, 5_000, `round ${round}: imap`);
          // imap yields in order: whatever came before terminate() is the right prefix.
          expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i * i));
          if (imapError === undefined) expect(seen.length).toBe(200);
          else expect(imapError).toBeInstanceOf(TerminatedError);
          // A second terminate() resolves as well, and the pool refuses new work.
          await within(pool.terminate(), terminateDeadline, `round ${round}: second terminate()`);
          expect(pool.stats().workers).toBe(0);
          expect(thrown(() => pool.applyAsync('square', [1]))).toBeInstanceOf(PoolStateError);
        }
      });
    });
  });
}
