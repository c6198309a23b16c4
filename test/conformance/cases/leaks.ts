/**
 * Leaks: hundreds of thousands of tasks, in apply bursts, maps and imaps, leave the job cache
 * empty and the host's heap flat: a leak of 100 bytes per call would show.
 */
import type { Pool } from '@pool/core';
import type { Harness } from '../harness.js';
import { openPool, type TestPoolOptions } from '../harness.js';
import { findGc, settledHeap } from '../heap.js';

type Sizes = { applies: number; mapItems: number; imapItems: number };

function* count(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** One batch of every kind of call; checks every result without keeping any. */
async function batch(pool: Pool, { applies, mapItems, imapItems }: Sizes): Promise<void> {
  const burst = 2_000;
  for (let done = 0; done < applies; done += burst) {
    const results = Array.from({ length: burst }, (_, i) => pool.applyAsync('square', [i]));
    const values = await Promise.all(results);
    if (values[burst - 1] !== (burst - 1) ** 2) throw new Error(`apply burst returned ${String(values[burst - 1])}`);
  }
  const mapped = await pool.map('square', count(mapItems), { chunksize: 100 });
  if (mapped.length !== mapItems || mapped[mapItems - 1] !== (mapItems - 1) ** 2) throw new Error('map returned wrong results');
  let ordered = 0;
  for await (const y of pool.imap('square', count(imapItems / 2))) {
    if (y !== ordered * ordered) throw new Error(`imap yielded ${String(y)} at ${ordered}`);
    ordered++;
  }
  let unordered = 0;
  for await (const y of pool.imapUnordered('square', count(imapItems / 2), { chunksize: 2 })) unordered += y === undefined ? 0 : 1;
  if (ordered + unordered !== imapItems) throw new Error(`imap yielded ${ordered + unordered} of ${imapItems}`);
}

/** Listens for every event the pool has, counting them: the listeners must not keep calls alive. */
function listenToEverything(pool: Pool): { count: number } {
  const heard = { count: 0 };
  const types = ['workerstart', 'workerready', 'workerexit', 'callqueue', 'callstart', 'callsettle'] as const;
  for (const type of types) pool.addEventListener(type, () => void heard.count++);
  return heard;
}

export default function leaks(h: Harness): void {
  const { describe, it, expect } = h;

  describe('leaks', () => {
    it('hundreds of thousands of tasks leave the job cache empty and the heap flat', () => noLeak({ processes: 2 }, false));

    if (h.supports.dynamicSize) {
      it('so do they on a dynamically sized pool with listeners on every event and metrics on', () =>
        noLeak({ processes: undefined, minProcesses: 0, maxProcesses: 2, idleTimeout: 250, metrics: true, maxQueue: 100_000 }, true));
    }
  });

  async function noLeak(options: TestPoolOptions, observed: boolean): Promise<void> {
    const gc = await findGc();
    // Every runtime we support can force a collection; without one the heap figure is noise.
    expect(typeof gc).toBe('function');
    const pool = openPool(h, options);
    const heard = observed ? listenToEverything(pool) : undefined;
    try {
      // The warm-up has the shape of the big batch, so one-time allocations sized by it (JIT
      // code, grown buffers) happen before the first measurement; the big batch is 4 of them.
      // Where every unit is a network round trip, a share of the work (the harness's `scale`).
      const scale = h.scale ?? 1;
      const unit: Sizes = { applies: Math.round(10_000 * scale), mapItems: Math.round(50_000 * scale), imapItems: 2 * Math.round(3_750 * scale) };
      const rounds = 4;
      const big: Sizes = { applies: rounds * unit.applies, mapItems: rounds * unit.mapItems, imapItems: rounds * unit.imapItems };
      await batch(pool, unit);
      // A scaled-down batch is too short for the JIT to settle: what it compiles late (code and
      // its metadata, hundreds of KB) would land in the measured rounds. Warm up once more.
      if (scale < 1) await batch(pool, unit);
      expect(pool.stats()).toMatchObject({ pending: 0, queued: 0, busy: 0 });
      const before = settledHeap(gc!);
      for (let round = 0; round < rounds; round++) await batch(pool, unit);
      expect(pool.stats()).toMatchObject({ pending: 0, queued: 0, busy: 0, state: 'RUN' });
      const after = settledHeap(gc!);
      // Measured noise is under 200 KB. Keeping 100 bytes per apply (40k calls: 4 MB), per imap
      // chunk (22.5k: 2.25 MB) or per map item (200k: 20 MB) would exceed 1 MB.
      // A smaller run (scale < 1) keeps a floor of 250 KB above that noise.
      const tolerance = Math.max(250_000, 1_000_000 * scale);
      const growth = after - before;
      if (growth >= tolerance) {
        throw new Error(`Heap grew by ${growth} bytes over ${big.applies + big.mapItems + big.imapItems} tasks (tolerance ${tolerance})`);
      }
      if (heard) expect(heard.count).toBeGreaterThan(3 * big.applies);
    } finally {
      await pool.terminate();
    }
  }
}
