/** The state machine: RUN → CLOSE → join, terminate, async dispose, stats. */
import { BrokenPoolError, Pool, PoolStateError, TerminatedError } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, openPool, rejection, thrown, until, withPool } from '../harness.js';

export default function lifecycle(h: Harness): void {
  const { describe, it, expect } = h;

  describe('close and join', () => {
    it('close() then join() drains the queue: every result arrives, then workers leave', async () => {
      const pool = openPool(h);
      const results = Array.from({ length: 20 }, (_, i) => pool.applyAsync('sleepThen', [5, i]));
      const mapped = pool.map('square', [1, 2, 3]);
      pool.close();
      expect(pool.state).toBe('CLOSE');
      await pool.join();
      expect(results.every((r) => r.ready() && r.successful())).toBe(true);
      expect(await Promise.all(results)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(await mapped).toEqual([1, 4, 9]);
      expect(pool.stats().workers).toBe(0);
    });

    it('join() before close() rejects PoolStateError', async () => {
      const pool = openPool(h);
      try {
        expect(await rejection(pool.join())).toBeInstanceOf(PoolStateError);
        expect(pool.state).toBe('RUN');
      } finally {
        await pool.terminate();
      }
    });

    it('after close(), new work is refused: promises reject, the rest throw PoolStateError', async () => {
      const pool = openPool(h);
      pool.close();
      const refused = await rejection(pool.apply('square', [1]));
      expect(refused).toBeInstanceOf(PoolStateError);
      expect((refused as Error).message).toBe('Pool not running');
      expect(await rejection(pool.map('square', [1]))).toBeInstanceOf(PoolStateError);
      expect(await rejection(pool.starmap('add', [[1, 2]]))).toBeInstanceOf(PoolStateError);
      expect(thrown(() => pool.applyAsync('square', [1]))).toBeInstanceOf(PoolStateError);
      expect(thrown(() => pool.mapAsync('square', [1]))).toBeInstanceOf(PoolStateError);
      expect(thrown(() => pool.starmapAsync('add', [[1, 2]]))).toBeInstanceOf(PoolStateError);
      expect(thrown(() => pool.imap('square', [1]))).toBeInstanceOf(PoolStateError);
      expect(thrown(() => pool.imapUnordered('square', [1]))).toBeInstanceOf(PoolStateError);
      await pool.join();
    });

    it('an imap started before close() still completes', async () => {
      const pool = openPool(h);
      const iterator = pool.imap('square', Array.from({ length: 30 }, (_, i) => i));
      pool.close();
      const out: unknown[] = [];
      for await (const y of iterator) out.push(y);
      expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i * i));
      await pool.join();
    });
  });

  describe('terminate', () => {
    it('rejects every unfinished result with TerminatedError and resolves', async () => {
      const pool = openPool(h);
      const running = pool.applyAsync('sleepThen', [10_000, 'never']);
      const queued = Array.from({ length: 5 }, () => pool.applyAsync('sleepThen', [10_000, 'never']));
      const mapped = pool.mapAsync('sleepThen', [10_000, 10_000]);
      const iterator = pool.imap('square', [1, 2, 3]);
      await until(() => pool.stats().busy === 2, 10_000, 'both workers to be busy');
      await pool.terminate();
      expect(pool.state).toBe('TERMINATE');
      for (const result of [running, ...queued, mapped]) {
        expect(await rejection(result)).toBeInstanceOf(TerminatedError);
      }
      expect(await rejection(iterator.next())).toBeInstanceOf(TerminatedError);
      expect(pool.stats()).toMatchObject({ workers: 0, busy: 0, queued: 0, pending: 0 });
    });

    it('terminate() twice resolves twice; close() after terminate() is a no-op; join() resolves', async () => {
      const pool = openPool(h);
      await Promise.all([pool.terminate(), pool.terminate()]);
      await pool.terminate();
      pool.close();
      expect(pool.state).toBe('TERMINATE');
      await pool.join();
      expect(thrown(() => pool.applyAsync('square', [1]))).toBeInstanceOf(PoolStateError);
    });

    it('terminate() right after construction, before workers are ready, leaves nothing behind', async () => {
      const pool = openPool(h);
      const result = pool.applyAsync('square', [2]);
      await pool.terminate();
      expect(await rejection(result)).toBeInstanceOf(TerminatedError);
      expect(pool.stats().workers).toBe(0);
    });

    it('Symbol.asyncDispose terminates the pool, like Python\'s with-statement', async () => {
      const pool = openPool(h);
      expect(await pool.apply('square', [3])).toBe(9);
      await pool[Symbol.asyncDispose]();
      expect(pool.state).toBe('TERMINATE');
      expect(pool.stats().workers).toBe(0);
    });
  });

  describe('stats', () => {
    it('counts workers, busy, queued, completed, failed and pending', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        await until(() => pool.stats().workers === 2, 10_000, 'workers');
        // Five slow units on two workers: two run, the others wait, wherever they wait (queue or
        // worker). On a loaded machine the first may be done by the time both workers are seen busy.
        const slow = [1, 2, 3, 4, 5].map((i) => pool.applyAsync('sleepThen', [1_000, i]));
        await until(() => pool.stats().busy === 2, 10_000, 'both workers busy');
        const { completed, ...now } = pool.stats();
        expect(completed).toBeLessThanOrEqual(2);
        expect(now).toMatchObject({ state: 'RUN', workers: 2, busy: 2, queued: 3 - completed, pending: 5 - completed });
        await Promise.all(slow);
        await rejection(pool.apply('typeError', ['x']));
        expect(pool.stats()).toMatchObject({ busy: 0, queued: 0, completed: 5, failed: 1, pending: 0 });
      }));
  });

  describe('module', () => {
    // File paths need a host with a file system and a working directory (not a browser page).
    if (h.supports.filePaths) it('accepts a URL, a URL string, an absolute path and a cwd-relative path', async () => {
      const url = fixture('tasks.mjs');
      const path = decodeURIComponent(url.pathname);
      const cwd = (globalThis as { process?: { cwd(): string } }).process?.cwd() ?? '/';
      const relative = relativePath(cwd, path);
      for (const module of [url, url.href, path, relative]) {
        const pool = new Pool({ adapter: h.adapter(), module, processes: 1 });
        try {
          expect(await pool.apply('square', [6])).toBe(36);
        } finally {
          await pool.terminate();
        }
      }
    });

    // Where there are no file paths but a base URL (a browser page), strings are URLs relative to it.
    const base = (h.adapter() as { baseUrl?: () => string }).baseUrl?.();
    if (!h.supports.filePaths && base !== undefined) it('accepts a URL string relative to the base URL, and a root-relative one', async () => {
      const url = fixture('tasks.mjs');
      const relative = relativePath(new URL('.', base).pathname, url.pathname);
      for (const module of [relative, `./${relative}`, url.pathname]) {
        const pool = new Pool({ adapter: h.adapter(), module, processes: 1 });
        try {
          expect(await pool.apply('square', [6])).toBe(36);
        } finally {
          await pool.terminate();
        }
      }
    });

    // Where the workers load their own module (a queue's hosts), the pool's only names it.
    if (!h.supports.loadsModule) it('a module the workers do not serve breaks the pool with BrokenPoolError, and terminate() still works', async () => {
      const pool = new Pool({ adapter: h.adapter(), module: 'not-the-hosts-module.mjs', processes: 1 });
      try {
        const error = await rejection(pool.apply('square', [2]));
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect((error as Error).message).toMatch(/not-the-hosts-module/);
        expect(pool.state).toBe('BROKEN');
      } finally {
        await pool.terminate();
      }
    });

    if (h.supports.functionTasks) it('runs function tasks with no module at all; names then give TaskNotFoundError', async () => {
      const pool = new Pool({ adapter: h.adapter(), processes: 1 });
      try {
        expect(await pool.apply((x: number) => x + 1, [1])).toBe(2);
        expect((await rejection(pool.apply('square', [1])) as Error).name).toBe('TaskNotFoundError');
      } finally {
        await pool.terminate();
      }
    });
  });
}

function relativePath(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/') || '.';
}
