/** imap / imapUnordered: ordered and unordered, lazy, bounded, async sources, errors at position. */
import type { Harness } from '../harness.js';
import { TimeoutError } from '@pool/core';
import { collectUntilError, hostTurn, rejection, thrown, until, watchUnhandled, withPool } from '../harness.js';

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterator) out.push(value);
  return out;
}

export default function imap(h: Harness): void {
  const { describe, it, expect } = h;

  describe('imap', () => {
    it('yields results in input order, for every chunksize', () =>
      withPool(h, {}, async (pool) => {
        const xs = Array.from({ length: 50 }, (_, i) => i);
        for (const chunksize of [1, 3, 50, 64]) {
          expect(await collect(pool.imap('square', xs, { chunksize }))).toEqual(xs.map((x) => x * x));
        }
      }));

    it('imapUnordered yields every result once, in completion order', () =>
      withPool(h, {}, async (pool) => {
        // The first item is slow: its result must not hold back the others (with both workers up).
        await until(() => pool.stats().starting === 0, 10_000, 'both workers to be ready');
        const items: Array<[number, string]> = [[200, 'slow'], [0, 'a'], [0, 'b'], [0, 'c']];
        const out = await collect(pool.imapUnordered('sleepPair', items));
        expect([...out].sort()).toEqual(['a', 'b', 'c', 'slow']);
        expect(out[out.length - 1]).toBe('slow');
        const xs = Array.from({ length: 30 }, (_, i) => i);
        const squares = await collect(pool.imapUnordered('square', xs, { chunksize: 4 }));
        expect([...squares].sort((a, b) => a - b)).toEqual(xs.map((x) => x * x));
      }));

    it('reads async iterables', () =>
      withPool(h, {}, async (pool) => {
        async function* numbers() {
          for (let i = 0; i < 10; i++) {
            await null;
            yield i;
          }
        }
        expect(await collect(pool.imap('square', numbers(), { chunksize: 3 }))).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
        expect((await collect(pool.imapUnordered('square', numbers()))).length).toBe(10);
      }));

    it('reads lazily: an infinite generator works, and leaving the loop stops reading and calls return()', () =>
      withPool(h, {}, async (pool) => {
        let read = 0;
        let returned = false;
        function* naturals() {
          try {
            for (let i = 0; ; i++) {
              read++;
              yield i;
            }
          } finally {
            returned = true;
          }
        }
        const out: number[] = [];
        for await (const y of pool.imap('square', naturals(), { chunksize: 2 })) {
          out.push(y as number);
          if (out.length === 10) break;
        }
        expect(out).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
        expect(returned).toBe(true);
        // Bounded read-ahead: a small multiple of processes, in chunks.
        expect(read).toBeLessThan(10 + 2 * 4 * pool.processes + 2);
        await until(() => pool.stats().pending === 0 && pool.stats().queued === 0, 10_000, 'imap to leave the pool');
        expect(await pool.apply('square', [3])).toBe(9);
      }));

    it('keeps a bounded number of chunks in flight while the consumer is slow', () =>
      withPool(h, {}, async (pool) => {
        let read = 0;
        function* source() {
          for (let i = 0; i < 10_000; i++) {
            read++;
            yield i;
          }
        }
        const iterator = pool.imap('square', source());
        expect((await iterator.next()).value).toBe(0);
        await until(() => pool.stats().busy === 0 && pool.stats().queued === 0, 10_000, 'read-ahead to finish');
        expect(read).toBeGreaterThan(1);
        expect(read).toBeLessThanOrEqual(4 * pool.processes + 2);
        await iterator.return!();
      }));

    it('an iterable that throws fails the call at its position, after the results before it', () =>
      withPool(h, {}, async (pool) => {
        function* throwsAt(n: number) {
          for (let i = 0; i < n; i++) yield i;
          throw new RangeError(`source failed at ${n}`);
        }
        for (const chunksize of [1, 2, 4]) {
          const ordered = await collectUntilError(pool.imap('square', throwsAt(5), { chunksize }));
          expect(ordered.values).toEqual([0, 1, 4, 9, 16]);
          expect(ordered.error).toBeInstanceOf(RangeError);
          expect((ordered.error as Error).message).toBe('source failed at 5');
          const unordered = await collectUntilError(pool.imapUnordered('square', throwsAt(5), { chunksize }));
          expect([...unordered.values].sort((a, b) => (a as number) - (b as number))).toEqual([0, 1, 4, 9, 16]);
          expect(unordered.error).toBeInstanceOf(RangeError);
        }
        async function* asyncThrows() {
          yield 1;
          await null;
          throw new TypeError('async source failed');
        }
        const fromAsync = await collectUntilError(pool.imap('square', asyncThrows()));
        expect(fromAsync.values).toEqual([1]);
        expect(fromAsync.error).toBeInstanceOf(TypeError);
        // The pool is unharmed.
        expect(await pool.map('square', [1, 2])).toEqual([1, 4]);
        expect(pool.stats().pending).toBe(0);
      }));

    it('an iterator whose next() returns no result object fails the call with TypeError, as for...of would, not with undefined items', () =>
      withPool(h, {}, async (pool) => {
        for (const bad of [undefined, null, 42]) {
          let calls = 0;
          const source = { [Symbol.iterator]: () => ({ next: () => (++calls <= 2 ? { done: false, value: calls } : bad) }) };
          const { values, error } = await collectUntilError(pool.imap('square', source as Iterable<number>, { chunksize: 1 }));
          expect(values).toEqual([1, 4]);
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toBe(`Iterator result ${String(bad)} is not an object`);
        }
        expect(pool.stats().pending).toBe(0);
      }));

    it('a task error ends the iteration at that position, after the results before it', () =>
      withPool(h, {}, async (pool) => {
        const pairs = Array.from({ length: 10 }, (_, i) => [i, 4]);
        const { values, error } = await collectUntilError(pool.imap('firstUnlessEqual', pairs, { chunksize: 3 }));
        expect(values).toEqual([0, 1, 2, 3]);
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toBe('bad 4');
        await until(() => pool.stats().pending === 0, 10_000, 'the failed imap to leave the pool');
      }));

    it('a non-iterable source or bad chunksize throws synchronously', () =>
      withPool(h, {}, async (pool) => {
        expect(thrown(() => pool.imap('square', 5 as never))).toBeInstanceOf(TypeError);
        expect(thrown(() => pool.imapUnordered('square', null as never))).toBeInstanceOf(TypeError);
        expect(thrown(() => pool.imap('square', [1], { chunksize: 0 }))).toBeInstanceOf(RangeError);
        expect(thrown(() => pool.imap('square', [1], { chunksize: 1.5 }))).toBeInstanceOf(RangeError);
        expect(await rejection(pool.map('square', [1], { chunksize: -1 }))).toBeInstanceOf(RangeError);
        expect(thrown(() => pool.mapAsync('square', [1], { chunksize: 0 }))).toBeInstanceOf(RangeError);
      }));

    it('the iterator can be driven by hand: next() calls in parallel each get the next value', () =>
      withPool(h, {}, async (pool) => {
        const iterator = pool.imap('square', [1, 2, 3]);
        const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
        expect(results.map((r) => r.value)).toEqual([1, 4, 9, undefined]);
        expect(results[3]!.done).toBe(true);
      }));

    it('a next() not yet awaited when the call times out is no unhandled rejection, and rejects once awaited', () =>
      withPool(h, { processes: 1 }, async (pool) => {
        const unhandled = watchUnhandled();
        try {
          const waiting = [pool.imap('sleepThen', [60_000], { timeout: 50 }).next(), pool.imapUnordered('sleepThen', [60_000], { timeout: 50 }).next()];
          await until(() => pool.stats().pending === 0, 10_000, 'both calls to time out');
          await hostTurn();
          await hostTurn();
          expect(unhandled.reasons).toEqual([]);
          for (const next of waiting) expect(await rejection(next)).toBeInstanceOf(TimeoutError);
        } finally {
          unhandled.stop();
        }
      }));
  });
}
