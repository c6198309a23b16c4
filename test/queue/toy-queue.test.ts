/**
 * The executor seam carries a pull transport: the conformance suite on a toy in-memory queue
 * (out-of-order answers, random delays), and host losses in the middle of the work.
 */
import { Pool, WorkerExitError } from '@pool/core';
import { describe, expect, it } from 'vitest';
import { fixture, harness, until } from '../conformance/harness.js';
import { conformance } from '../conformance/suite.js';
import { toyQueue, type ToyQueue } from './toy-queue.js';

conformance(harness({ name: 'toyQueue', adapter: () => toyQueue(), describe, it, expect }));

describe('toy queue: a pull transport through the executor seam', () => {
  const open = (adapter: ToyQueue, processes = 3) => new Pool({ adapter, module: fixture('tasks.mjs'), processes });

  it('answers arrive out of order, and every result still lands in its place', async () => {
    const adapter = toyQueue({ maxDelayMs: 5, delayedShare: 0.5, seed: 11 });
    const pool = open(adapter);
    try {
      const items = Array.from({ length: 300 }, (_, i) => i);
      expect(await pool.map('square', items, { chunksize: 3 })).toEqual(items.map((x) => x * x));
      const arrivals = adapter.opened[0]!.arrivals;
      expect(arrivals).toHaveLength(100);
      expect(arrivals).not.toEqual([...arrivals].sort((a, b) => a - b));
    } finally {
      await pool.terminate();
    }
  });

  it('hosts lost mid-map: with retries every item comes back once and correct, and new hosts take over', async () => {
    const adapter = toyQueue({ maxDelayMs: 4, delayedShare: 0.5, seed: 5 });
    const pool = open(adapter);
    try {
      const items = Array.from({ length: 600 }, (_, i) => i);
      const result = pool.map('square', items, { chunksize: 2, retries: 5 });
      const executor = adapter.opened[0]!;
      let lost = 0;
      await until(() => {
        const busy = [...executor.hosts].find((host) => host.units.size > 0);
        if (busy && lost < 4) {
          executor.loseHost(busy);
          lost++;
        }
        return lost === 4;
      }, 10_000, 'four hosts to be lost while busy');
      expect(await result).toEqual(items.map((x) => x * x));
      expect(executor.hosts.size).toBe(3);
    } finally {
      await pool.terminate();
    }
  });

  it('a host lost under a call with no retries fails exactly that call with WorkerExitError; the pool carries on', async () => {
    const adapter = toyQueue({ maxDelayMs: 2 });
    const pool = open(adapter, 2);
    try {
      const slow = pool.apply('sleepThen', [10_000, 'late']).catch((error: unknown) => error);
      const executor = adapter.opened[0]!;
      await until(() => [...executor.hosts].some((host) => host.units.size > 0), 10_000, 'the call to reach a host');
      executor.loseHost([...executor.hosts].find((host) => host.units.size > 0)!);
      expect(await slow).toBeInstanceOf(WorkerExitError);
      expect(await pool.apply('square', [9])).toBe(81);
      expect(pool.stats()).toMatchObject({ workers: 2, pending: 0 });
    } finally {
      await pool.terminate();
    }
  });
});
