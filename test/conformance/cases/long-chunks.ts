/**
 * Chunks longer than a segment (4,096 items): on a channel that clones values they cross in
 * segments (core's `segments.ts`), and nothing a caller sees may change: values, order, errors,
 * the values before an error, async items, unsendable results.
 */
import { MaybeEncodingError, Pool, TaskKind, type FromWorker, type ToWorker } from '@pool/core';
import type { Harness } from '../harness.js';
import { collectUntilError, fixture, recordingAdapter, rejection, withPool } from '../harness.js';

/** Items per call: two full segments and part of a third. */
const n = 10_000;
const range = (length: number): number[] => Array.from({ length }, (_, i) => i);

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
        // The same over numbers alone, whose chunks and values travel packed.
        expect(await rejection(pool.map('unless9000', range(n), { chunksize: n }))).toMatchObject({ name: 'RangeError', message: 'bad 9000' });
        const packed = await collectUntilError(pool.imap('unless9000', range(n), { chunksize: n }));
        expect(packed.values).toEqual(range(9_000));
        expect((packed.error as Error).message).toBe('bad 9000');
        expect(await pool.map('square', range(n), { chunksize: n })).toEqual(range(n).map((i) => i * i));
      }));

    it('a big map in default chunks returns every number exactly: integers, fractions, NaN and -0', () =>
      withPool(h, {}, async (pool) => {
        // 300,000 items: chunks of tens of thousands, a few hundred KB packed, read in place where
        // the channel allows (Node's IPC: at an aligned offset of the message, wire.ts).
        const items = range(300_000).map((i) => (i < 150_000 ? i * 7 - 100_000 : i / 8));
        items[200_000] = -0;
        items[200_001] = Number.NaN;
        const values = await pool.map('identity', items);
        expect(values.length).toBe(items.length);
        const wrong = values.findIndex((value, i) => !Object.is(value, items[i]));
        expect(wrong, `first wrong value at ${wrong}: ${String(values[wrong])}`).toBe(-1);
        expect((await pool.map('square', items.slice(0, 150_000))).every((value, i) => value === items[i]! ** 2)).toBe(true);
      }));

    it('a chunk of numbers whose values change kind part-way (integers, then fractions, text, promises) keeps every value', () =>
      withPool(h, {}, async (pool) => {
        // Its items travel packed; its values are packed as they come while they are numbers.
        expect(await pool.map('halfFrom5000', range(n), { chunksize: n })).toEqual(range(n).map((i) => (i < 5_000 ? i : i / 2)));
        expect(await pool.map('textFrom5000', range(n), { chunksize: n })).toEqual(range(n).map((i) => (i < 5_000 ? i : `#${i}`)));
        expect(await pool.map('asyncFrom5000', range(n), { chunksize: n })).toEqual(range(n).map((i) => (i < 5_000 ? i : i + 0.5)));
        expect(await pool.map('halfFrom5000', range(40_000))).toEqual(range(40_000).map((i) => (i < 5_000 ? i : i / 2)));
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

    // What crosses is seen on the channel adapter's handles; `inline()` passes values by reference.
    if (h.channel && h.supports.cloning) it('a long chunk crosses in segments of at most 4,096 items, and numbers packed both ways: 32-bit integers as such', async () => {
      const tasks: Array<Extract<ToWorker, { type: 'task' | 'batch' }>> = [];
      const answers: Array<Extract<FromWorker, { type: 'ok' | 'values' }>> = [];
      const { adapter } = recordingAdapter(h, {
        beforeMessage: (message) => void ((message.type === 'ok' || message.type === 'values') && answers.push(message)),
        afterSend: (message) => void ((message.type === 'task' || message.type === 'batch') && tasks.push(message)),
      });
      const pool = new Pool({ adapter, module: fixture('tasks.mjs'), processes: 1 });
      const strings = range(n).map(String);
      const halves = range(n).map((i) => i / 2);
      try {
        expect(await pool.map('square', range(n), { chunksize: n })).toEqual(range(n).map((i) => i * i));
        expect(await pool.map('identity', strings, { chunksize: n })).toEqual(strings);
        expect(await pool.map('square', range(1_000), { chunksize: 1_000 })).toEqual(range(1_000).map((i) => i * i));
        expect(await pool.map('identity', halves, { chunksize: n })).toEqual(halves);
        const imapped: unknown[] = [];
        for await (const value of pool.imap('square', range(2_000), { chunksize: 1_000 })) imapped.push(value);
        expect(imapped).toEqual(range(2_000).map((i) => i * i));
      } finally {
        await pool.terminate();
      }
      const chunks = tasks.filter((task) => task.type === 'task' && task.kind === TaskKind.Map);
      // Items: numbers packed (from 512 where buffers cross natively, past 4,096 elsewhere), strings in segments.
      expect(chunks.map((task) => task.type === 'task' && task.segmented === true)).toEqual([false, true, false, false, false, false]);
      expect(chunks[0]!.args).toBeInstanceOf(Int32Array);
      expect(Array.from(chunks[0]!.args)).toEqual(range(n));
      const segments = chunks[1]!.args as string[][];
      expect(segments.map((segment) => segment.length)).toEqual([4_096, 4_096, n - 2 * 4_096]);
      expect(segments.flat()).toEqual(strings);
      if (h.supports.transfer) expect(chunks[2]!.args).toEqual(Int32Array.from(range(1_000)));
      else expect(chunks[2]!.args).toEqual(range(1_000));
      expect(chunks[3]!.args).toBeInstanceOf(Float64Array);
      expect(Array.from(chunks[3]!.args)).toEqual(halves);
      // imap's chunks too, as they are read.
      for (const [at, chunk] of chunks.slice(4).entries()) {
        const expected = range(1_000).map((i) => at * 1_000 + i);
        if (h.supports.transfer) expect(chunk.args).toEqual(Int32Array.from(expected));
        else expect(chunk.args).toEqual(expected);
      }
      // The answers, in order: integers packed as 32-bit integers; strings in segments; 1,000
      // integers packed where buffers cross natively; fractions packed as doubles.
      expect(answers.map((answer) => answer.type)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
      const [numbers, texts, short, fractions] = answers;
      expect(numbers).toMatchObject({ segmented: true });
      expect((numbers as { value: unknown[] }).value[0]).toBeInstanceOf(Int32Array);
      expect((fractions as { value: unknown[] }).value[0]).toBeInstanceOf(Float64Array);
      expect(texts).toMatchObject({ segmented: true });
      expect((texts as { value: unknown[][] }).value.map((part) => part.length)).toEqual([4_096, 4_096, n - 2 * 4_096]);
      if (h.supports.transfer) expect((short as { value: unknown[] }).value[0]).toBeInstanceOf(Int32Array);
      else expect(short).toMatchObject({ value: range(1_000).map((i) => i * i) });
    });
  });
}
