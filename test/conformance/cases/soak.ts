/**
 * The soak: many tiny calls with random worker deaths and `retries`; every result correct and
 * delivered exactly once, the host heap flat. `npm test` runs a short one on every adapter;
 * `npm run soak -- <calls>` runs it at any size (100,000 per adapter for the reliability claim).
 */
import { WorkerExitError, type Pool, type WorkerHandle } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, killWorker, recordingAdapter, seededRandom, testSeed, until, withSeed } from '../harness.js';
import { findGc, settledHeap } from '../heap.js';

/** Calls per adapter: `POOL_SOAK_SIZE` (set by `npm run soak`), else a short run. */
function soakSize(): number {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> }; Deno?: { env: { get(k: string): string | undefined } } };
  let raw: string | undefined;
  try {
    raw = g.process?.env?.['POOL_SOAK_SIZE'] ?? g.Deno?.env.get('POOL_SOAK_SIZE');
  } catch {
    raw = undefined;
  }
  const size = Number(raw);
  return Number.isInteger(size) && size >= 1_000 ? size : 4_000;
}

export default function soak(h: Harness): void {
  const { describe, it, expect } = h;
  // Where every unit is a network round trip, a share of it (the harness's `scale`).
  const size = Math.max(200, Math.round(soakSize() * (h.scale ?? 1)));
  // Deaths need isolated workers a test can kill one by one: channel adapters.
  const deaths = h.supports.isolation && h.channel;

  describe('soak', () => {
    it(`${size} tiny calls${deaths ? ' under random worker deaths, with retries' : ''}: every result correct and delivered once, host heap flat`, () => {
      const seed = testSeed(0x50a4);
      return withSeed(seed, async () => {
        const random = seededRandom(seed);
        const recorder = deaths ? recordingAdapter(h) : undefined;
        const { Pool } = await import('@pool/core');
        const pool: Pool = new Pool({ adapter: recorder?.adapter ?? h.adapter(), module: fixture('tasks.mjs'), processes: 2 });
        const gc = await findGc();
        expect(typeof gc).toBe('function');
        // Ten bursts or more; the heap is measured after the first two, the warm-up.
        const burst = Math.min(1_000, Math.ceil(size / 10));
        const deliveries = new Uint8Array(size);
        let wrong = 0;
        let kills = 0;
        const killEvery = Math.max(burst, Math.floor(size / 12));
        const warmUp = 2 * burst;
        let heapBefore = 0;
        try {
          for (let start = 0; start < size; start += burst) {
            if (start === warmUp) heapBefore = settledHeap(gc!);
            const results = [];
            for (let i = start; i < Math.min(size, start + burst); i++) {
              results.push(pool.applyAsync('square', [i], {
                retries: 50,
                callback: (value: number) => {
                  deliveries[i]!++;
                  if (value !== i * i) wrong++;
                },
              }));
            }
            if (recorder && start > 0 && start % killEvery < burst) {
              // Kill a ready worker at a random point of this burst, without waiting for it to die.
              const at = pool.stats().completed + random.int(1, Math.max(1, Math.floor(burst / 2)));
              await until(() => pool.stats().completed >= at || pool.stats().pending === 0, 30_000, 'progress in the burst');
              const ready: WorkerHandle[] = recorder.ready();
              if (ready.length > 0) {
                void killWorker(h, ready[random.int(0, ready.length - 1)]!);
                kills++;
              }
            }
            await Promise.all(results);
          }
          expect(wrong).toBe(0);
          expect(deliveries.every((n) => n === 1)).toBe(true);
          if (recorder) expect(kills).toBeGreaterThan(0);
          expect(pool.stats()).toMatchObject({ pending: 0, state: 'RUN' });
          await until(() => pool.stats().workers === 2, 30_000, 'the pool back at full strength');
          const growth = settledHeap(gc!) - heapBefore;
          // 100 bytes kept per call would show from 20,000 calls on; noise is far below 1 MB.
          expect(growth).toBeLessThan(Math.max(1_000_000, size * 50));
        } catch (error) {
          if (error instanceof WorkerExitError) throw new Error(`A call failed although retries were left: ${error.message}`);
          throw error;
        } finally {
          await pool.terminate();
        }
      });
    });
  });
}
