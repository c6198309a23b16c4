/**
 * `transfer`: each listed buffer moves, once, with the unit whose arguments hold it. A map's
 * chunks each move only their own; a unit whose buffers went with a dying worker fails rather
 * than run again on empty ones.
 */
import { WorkerExitError } from '@pool/core';
import type { Harness } from '../harness.js';
import { rejection, withPool } from '../harness.js';

export default function transfer(h: Harness): void {
  const { describe, it, expect } = h;
  if (!h.supports.transfer) return;
  const key = () => `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const sizes = [8, 16, 24, 32, 40, 48];
  const buffers = () => sizes.map((size) => new ArrayBuffer(size));

  describe('transfer', () => {
    it('map, starmap and imap move each listed buffer with the chunk that holds it: every task sees its own bytes', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        for (const chunksize of [1, 2, undefined]) {
          const moved = buffers();
          expect(await pool.map('byteLength', moved, { transfer: moved, chunksize })).toEqual(sizes);
          // Moved, not copied: the caller's buffers are empty now.
          expect(moved.map((buffer) => buffer.byteLength)).toEqual(sizes.map(() => 0));
        }
        const lists = buffers();
        expect(await pool.starmap('byteLength', lists.map((buffer) => [buffer]), { transfer: lists, chunksize: 2 })).toEqual(sizes);
        // Views reach their buffers.
        const views = sizes.map((size) => new Uint8Array(size));
        const seen: unknown[] = [];
        for await (const length of pool.imap('byteLength', views, { transfer: views.map((view) => view.buffer), chunksize: 2 })) seen.push(length);
        expect(seen).toEqual(sizes);
      }));

    if (h.supports.isolation) it('a call whose transferred buffer went with a dying worker fails WorkerExitError, retries or not: it never runs on an empty buffer', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        const buffer = new ArrayBuffer(64);
        const error = await rejection(pool.apply('byteLengthAfterDeaths', [key(), 1, buffer], { transfer: [buffer], retries: 2 }));
        expect(error).toBeInstanceOf(WorkerExitError);
        // The same call without transfer is run again, and sees its bytes.
        expect(await pool.apply('byteLengthAfterDeaths', [key(), 1, new ArrayBuffer(64)], { retries: 2 })).toBe(64);
      }));

    it('a buffer moved by an earlier call cannot be sent again: DataCloneError for that call alone', () =>
      withPool(h, {}, async (pool) => {
        const buffer = new ArrayBuffer(16);
        expect(await pool.apply('byteLength', [buffer], { transfer: [buffer] })).toBe(16);
        const error = await rejection(pool.apply('byteLength', [buffer], { transfer: [buffer] }));
        expect((error as Error).name).toBe('DataCloneError');
        expect((error as Error).message).toMatch(/moved away already/);
        expect(await pool.apply('square', [3])).toBe(9);
      }));
  });
}
