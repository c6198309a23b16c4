/**
 * Chunks longer than a segment (4,096 items): on a channel that clones values they cross in
 * segments (core's `segments.ts`), and nothing a caller sees may change: values, order, errors,
 * the values before an error, async items, unsendable results.
 */
import { MaybeEncodingError, Pool, TaskKind, type Adapter, type ToWorker } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, interceptSends, rejection, withPool } from '../harness.js';

/** Items per call: two full segments and part of a third. */
const n = 10_000;
const range = (length: number): number[] => Array.from({ length }, (_, i) => i);

async function collectUntilError<T>(iterator: AsyncIterable<T>): Promise<{ values: T[]; error: unknown }> {
  const values: T[] = [];
  try {
    for await (const value of iterator) values.push(value);
  } catch (error) {
    return { values, error };
  }
  return { values, error: undefined };
}

export default function longChunks(h: Harness): void {
  const { describe, it, expect } = h;

  describe('long chunks', () => {
    it('map, starmap and imap keep every value, its kind and its order in chunks longer than a segment', () =>
      withPool(h, {}, async (pool) => {
        // Arrays among the values stay arrays: segments are joined one level deep, never more.
        const values = range(n).map((i) => [`s${i}`, [i, [i]], { i }, i / 3, null][i % 5]);
        expect(await pool.map('identity', values, { chunksize: n })).toEqual(values);
        expect(await pool.starmap('add', range(n).map((i) => [i, 1]), { chunksize: 6_000 })).toEqual(range(n).map((i) => i + 1));
        const imapped: unknown[] = [];
        for await (const value of pool.imap('identity', values, { chunksize: n })) imapped.push(value);
        expect(imapped).toEqual(values);
        // Python's default chunk size: 40,000 items on 2 workers are chunks of 5,000.
        expect(await pool.map('square', range(40_000))).toEqual(range(40_000).map((i) => i * i));
      }));

    it('an item that throws past the first segment fails the map, and imap yields every value before it', () =>
      withPool(h, {}, async (pool) => {
        const items = range(n).map((i) => [i, 9_000]);
        const error = (await rejection(pool.map('firstUnlessEqual', items, { chunksize: n }))) as Error;
        expect(error).toBeInstanceOf(RangeError);
        expect(error.message).toBe('bad 9000');
        const { values, error: imapError } = await collectUntilError(pool.imap('firstUnlessEqual', items, { chunksize: n }));
        expect(values).toEqual(range(9_000));
        expect((imapError as Error).message).toBe('bad 9000');
        expect(await pool.map('square', range(n), { chunksize: n })).toEqual(range(n).map((i) => i * i));
      }));

    it('async items carry a long chunk on across its segments', () =>
      withPool(h, {}, async (pool) => {
        expect(await pool.map('asyncSquare', range(n), { chunksize: n })).toEqual(range(n).map((i) => i * i));
      }));

    if (h.supports.cloning) it('an unsendable result in a long chunk fails that call alone with MaybeEncodingError', () =>
      withPool(h, {}, async (pool) => {
        const items = range(n).map((i) => [i, 7_000]);
        expect(await rejection(pool.map('symbolAt', items, { chunksize: n }))).toBeInstanceOf(MaybeEncodingError);
        expect(await pool.map('symbolAt', range(n).map((i) => [i, -1]), { chunksize: n })).toEqual(range(n));
      }));

    // What crosses is seen by wrapping the channel adapter's handles; `inline()` passes values by reference.
    if (h.channel && h.supports.cloning) it('a long chunk crosses a channel in segments of at most 4,096 items, a short one as it is', async () => {
      const tasks: Array<Extract<ToWorker, { type: 'task' | 'batch' }>> = [];
      const adapter = interceptSends(h.adapter() as Adapter, (message, forward) => {
        if (message.type === 'task' || message.type === 'batch') tasks.push(message);
        forward(message);
      });
      const pool = new Pool({ adapter, module: fixture('tasks.mjs'), processes: 1 });
      try {
        expect(await pool.map('square', range(n), { chunksize: n })).toEqual(range(n).map((i) => i * i));
        expect(await pool.map('square', range(4_096), { chunksize: 4_096 })).toEqual(range(4_096).map((i) => i * i));
      } finally {
        await pool.terminate();
      }
      const [long, short] = tasks.filter((task) => task.type === 'task' && task.kind === TaskKind.Map);
      expect(long).toMatchObject({ type: 'task', segmented: true });
      const segments = long!.args as number[][];
      expect(segments.map((segment) => segment.length)).toEqual([4_096, 4_096, n - 2 * 4_096]);
      expect(segments.flat()).toEqual(range(n));
      expect(short).not.toHaveProperty('segmented');
      expect(short!.args).toEqual(range(4_096));
    });
  });
}
