/**
 * @pool/web's own behaviour, beyond the conformance suite: ways a browser worker can end that
 * the suite does not try, module load failures with their cause, the worker entry's forms
 * (default, cross-origin through a `blob:` module, `workerUrl`), and what the page's isolation
 * changes. Bundled into the browser run by test/web/run.mjs; named *.web.ts so vitest leaves it alone.
 */
import { BrokenPoolError, Pool, WorkerExitError } from '@pool/core';
import { webWorkers } from '@pool/web';
import { fixture, rejection, until, type Expect } from '../../../test/conformance/harness.js';

interface Runner {
  describe: (name: string, body: () => void) => void;
  it: (name: string, body: () => Promise<void> | void) => void;
  expect: Expect;
}

declare const location: { href: string; search: string };
declare const navigator: { locks: { query(): Promise<{ held?: { name?: string }[] }> } };

const tasks = fixture('tasks.mjs');
/** The page's query: `isolated=1` where the server sent COOP/COEP, `peer=<origin>` of the second server. */
const query = new URLSearchParams(location.search);

declare const window: { liveWorkerThreads(): Promise<number> };

/** The life locks @pool/web workers hold: one per live worker. */
async function liveWorkerLocks(): Promise<number> {
  const { held = [] } = await navigator.locks.query();
  return held.filter((lock) => lock.name?.startsWith('@pool/life:')).length;
}

async function withWebPool(options: { adapter?: ReturnType<typeof webWorkers>; module?: string | URL; processes?: number }, body: (pool: Pool) => Promise<void>): Promise<void> {
  const pool = new Pool({ adapter: options.adapter ?? webWorkers(), module: options.module ?? tasks, processes: options.processes ?? 1 });
  try {
    await body(pool);
  } finally {
    await pool.terminate();
  }
}

export default function webAdapter({ describe, it, expect }: Runner): void {
  describe('webWorkers', () => {
    it('an unknown option or a non-object is a TypeError naming it', () => {
      for (const [bad, pattern] of [
        [{ workerURL: 'x' }, /^Unknown webWorkers option 'workerURL'; expected one of workerUrl/], [5, /^Expected webWorkers options to be an object/],
        [{ workerUrl: 5 }, /^Expected 'workerUrl' to be a URL or a string, got number/], [{ name: {} }, /^Expected 'name' to be a string, got object/],
        [{ credentials: 'bogus' }, /^Expected 'credentials' to be 'omit', 'same-origin' or 'include', got "bogus"/],
      ] as const) {
        let error: unknown;
        try {
          webWorkers(bad as never);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(pattern);
      }
    });

    it('shares memory exactly where the page is cross-origin isolated, as the server meant it', () => {
      const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
      expect(isolated).toBe(query.get('isolated') === '1');
      expect(webWorkers().supports.sharedMemory).toBe(isolated);
      expect(typeof (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer === 'function').toBe(isolated);
    });

    it('a worker that calls self.close() mid-task fails that task with WorkerExitError and is replaced', () =>
      withWebPool({}, async (pool) => {
        const error = await rejection(pool.apply(() => {
          (globalThis as unknown as { close(): void }).close();
          return new Promise(() => {});
        }));
        expect(error).toBeInstanceOf(WorkerExitError);
        await until(() => pool.stats().workers === 1, 10_000, 'a replacement worker');
        expect(await pool.apply('square', [12])).toBe(144);
      }));

    it('an unhandled rejection in a worker kills it: WorkerExitError with the rejection as cause', () =>
      withWebPool({}, async (pool) => {
        const error = await rejection(pool.apply(() => {
          void Promise.reject(new Error('nobody caught me'));
          return new Promise(() => {});
        }));
        expect(error).toBeInstanceOf(WorkerExitError);
        expect(String((error as Error).cause)).toMatch(/nobody caught me/);
        expect(await pool.apply('square', [3])).toBe(9);
      }));

    it('an unhandled rejection raised after its task answered blames no other task: every call of a burst succeeds', () =>
      withWebPool({ processes: 2 }, async (pool) => {
        const exits: unknown[] = [];
        pool.addEventListener('workerexit', ({ detail }) => exits.push(detail.error));
        // The browser raises it once the task has returned, while the worker runs later units.
        const leaves = (i: number, at: number) => {
          if (i === at) void Promise.reject(new Error(`left by ${i}`));
          return i;
        };
        const n = 400;
        const results = await Promise.all(Array.from({ length: n }, (_, i) => pool.apply(leaves, [i, 200]).catch((error: unknown) => error)));
        expect(results).toEqual(Array.from({ length: n }, (_, i) => i));
        await until(() => exits.length > 0, 10_000, 'the worker to be ended');
        expect(String(exits[0])).toMatch(/left by 200/);
      }));

    it('a module that is not there (404) breaks the pool, with the browser\'s error as cause', () =>
      withWebPool({ module: fixture('no-such-module.mjs') }, async (pool) => {
        const error = (await rejection(pool.apply('square', [2]))) as Error;
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect(error.cause).toBeInstanceOf(TypeError);
        expect(String((error.cause as Error).message)).toMatch(/no-such-module|fetch/i);
        expect(pool.state).toBe('BROKEN');
      }));

    it('a module with a syntax error breaks the pool, with the SyntaxError as cause', () =>
      withWebPool({ module: 'data:text/javascript,export const square = (x) => x *;' }, async (pool) => {
        const error = (await rejection(pool.apply('square', [2]))) as Error;
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect(error.cause).toBeInstanceOf(SyntaxError);
        await until(() => pool.stats().workers === 0, 10_000, 'the workers to be stopped');
      }));

    it('a worker entry that fails to load breaks the pool instead of respawning forever', () =>
      withWebPool({ adapter: webWorkers({ workerUrl: new URL('no-such-worker.js', location.href) }) }, async (pool) => {
        const error = (await rejection(pool.apply('square', [2]))) as Error;
        expect(error).toBeInstanceOf(BrokenPoolError);
        // The browser says nothing of why; the error names the entry and the option that moves it.
        expect(error.message).toMatch(/The worker entry .*no-such-worker\.js could not be loaded.*workerUrl/);
        expect(pool.state).toBe('BROKEN');
      }));

    it('workerUrl overrides the entry; name shows in the worker\'s own name', () =>
      withWebPool({ adapter: webWorkers({ workerUrl: new URL('../../adapters/web/dist/worker.js', location.href), name: 'tiles' }) }, async (pool) => {
        expect(await pool.apply('square', [5])).toBe(25);
        const name = await pool.apply(() => (globalThis as unknown as { name: string }).name);
        expect(name.startsWith('@pool/life:')).toBe(true);
        expect(name.endsWith(' tiles')).toBe(true);
      }));

    it('the package served from another origin (a CDN) starts its workers through a blob: module', async () => {
      const peer = query.get('peer');
      expect(peer).toBeTruthy();
      const remote = new URL(new URL('../../adapters/web/dist/index.js', location.href).pathname, peer!);
      const { webWorkers: remoteWorkers } = (await import(remote.href)) as typeof import('@pool/web');
      // Without the blob: module, new Worker() on another origin throws a SecurityError.
      await withWebPool({ adapter: remoteWorkers(), processes: 2 }, async (pool) => {
        expect(await pool.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
      });
    });

    it('a value postMessage cannot clone fails that call alone, synchronously from the handle', () =>
      withWebPool({}, async (pool) => {
        const error = (await rejection(pool.apply('identity', [document]))) as Error;
        expect(error.name).toBe('DataCloneError');
        expect(await pool.apply('square', [4])).toBe(16);
      }));

    it('terminate() leaves no worker running: every life lock is released', async () => {
      await until(async () => (await liveWorkerLocks()) === 0, 10_000, 'the workers of earlier tests to be gone');
      const pool = new Pool({ adapter: webWorkers(), module: tasks, processes: 2 });
      expect(await pool.apply('square', [2])).toBe(4);
      const running = pool.applyAsync('sleepThen', [60_000, 'never']);
      await until(async () => (await liveWorkerLocks()) === 2, 10_000, 'both workers to hold their locks');
      await pool.terminate();
      expect(((await rejection(running)) as Error).name).toBe('TerminatedError');
      await until(async () => (await liveWorkerLocks()) === 0, 10_000, 'every worker to be gone');
    });

    it('workers the pool retires (maxTasksPerChild) end at once: live threads stay within the pool\'s size', async () => {
      await until(async () => (await window.liveWorkerThreads()) === 0, 10_000, 'the worker threads of earlier tests to end');
      const pool = new Pool({ adapter: webWorkers(), module: tasks, processes: 2, maxTasksPerChild: 1 });
      let peak = 0;
      try {
        for (let i = 0; i < 40; i++) {
          expect(await pool.apply('square', [i])).toBe(i * i);
          peak = Math.max(peak, await window.liveWorkerThreads());
        }
      } finally {
        await pool.terminate();
      }
      // Two workers, a replacement starting and one ending; each retired worker used to live on,
      // blocked, for ~2 s: dozens at once.
      expect(peak).toBeLessThanOrEqual(5);
      await until(async () => (await window.liveWorkerThreads()) === 0, 10_000, 'every worker thread to end');
    });

    it('close() and join() resolve once every worker is really gone', async () => {
      await until(async () => (await liveWorkerLocks()) === 0, 10_000, 'the workers of earlier tests to be gone');
      const pool = new Pool({ adapter: webWorkers(), module: tasks, processes: 2 });
      expect(await pool.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
      await until(async () => (await liveWorkerLocks()) === 2, 10_000, 'both workers to hold their locks');
      pool.close();
      await pool.join();
      expect(pool.stats().workers).toBe(0);
      await until(async () => (await liveWorkerLocks()) === 0, 10_000, 'every worker to be gone');
    });
  });
}

declare const document: unknown;
