/**
 * @pool/deno's own behaviour, beyond the conformance suite: ways a Deno worker can end that the
 * suite does not try, `terminate()` leaving no worker behind, and worker permissions. Run by
 * `deno test` (see test/package.json); named *.deno.ts so that vitest leaves it alone.
 */
import { BrokenPoolError, Pool, WorkerExitError } from '@pool/core';
import { denoWorkers } from '@pool/deno';
import { until } from '../../../test/conformance/harness.ts';
import assert from 'node:assert/strict';
import { describe, it as nodeIt } from 'node:test';

// A hang fails the case instead of the whole run.
const it = (name: string, body: () => Promise<void>): void => nodeIt(name, { timeout: 30_000 }, body);

const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const tasks = new URL('tasks.mjs', fixtures);


/** The life locks @pool/deno workers hold: one per live worker. */
async function liveWorkerLocks(): Promise<number> {
  const { held = [] } = await navigator.locks.query();
  return held.filter((lock) => lock.name?.startsWith('@pool/life:')).length;
}

describe('denoWorkers', () => {
  it('an unknown option or a non-object is a TypeError naming it', async () => {
    assert.throws(() => denoWorkers({ permission: 'none' } as never), /^TypeError: Unknown denoWorkers option 'permission'; expected one of permissions$/);
    assert.throws(() => denoWorkers('none' as never), TypeError);
    assert.equal(denoWorkers({}).name, 'deno');
  });

  it('a worker that calls self.close() mid-task fails that task with WorkerExitError and is replaced', async () => {
    const pool = new Pool({ adapter: denoWorkers(), module: tasks, processes: 1 });
    try {
      const error = await pool.apply(() => {
        (globalThis as unknown as { close(): void }).close();
        return new Promise(() => {});
      }).catch((e: unknown) => e);
      assert.ok(error instanceof WorkerExitError, `expected WorkerExitError, got ${error}`);
      await until(() => pool.stats().workers === 1, 10_000, 'a replacement worker');
      assert.equal(await pool.apply('square', [12]), 144);
    } finally {
      await pool.terminate();
    }
  });

  it('an unhandled rejection in a worker kills it: WorkerExitError with the rejection as cause', async () => {
    const pool = new Pool({ adapter: denoWorkers(), module: tasks, processes: 1 });
    try {
      const error = await pool.apply(() => {
        void Promise.reject(new Error('nobody caught me'));
        return new Promise(() => {});
      }).catch((e: unknown) => e);
      assert.ok(error instanceof WorkerExitError, `expected WorkerExitError, got ${error}`);
      assert.match(String((error as Error).cause), /nobody caught me/);
      assert.equal(await pool.apply('square', [3]), 9);
    } finally {
      await pool.terminate();
    }
  });

  it('a task module that exits while loading breaks the pool at once, naming the exit, instead of starting one worker after another', async () => {
    // Deno ends such a worker only once its module has loaded, after it would have said "ready".
    const pool = new Pool({ adapter: denoWorkers(), module: new URL('exits-on-load.mjs', fixtures), processes: 1 });
    let starts = 0;
    pool.addEventListener('workerstart', () => starts++);
    try {
      const error = await pool.apply('square', [2]).catch((e: unknown) => e);
      assert.ok(error instanceof BrokenPoolError, `expected BrokenPoolError, got ${error}`);
      assert.match(error.message, /The task module called Deno\.exit\(7\) while the worker was starting/);
      assert.equal(starts, 1);
      assert.equal(pool.state, 'BROKEN');
    } finally {
      await pool.terminate();
    }
  });

  it('terminate() leaves no worker running: every life lock is released', async () => {
    // Workers of the tests before are gone too, a moment after their terminate() resolved.
    await until(async () => (await liveWorkerLocks()) === 0, 10_000, 'the workers of earlier tests to be gone');
    const pool = new Pool({ adapter: denoWorkers(), module: tasks, processes: 2 });
    assert.equal(await pool.apply('square', [2]), 4);
    const running = pool.applyAsync('sleepThen', [60_000, 'never']);
    await until(async () => (await liveWorkerLocks()) === 2, 10_000, 'both workers to hold their locks');
    await pool.terminate();
    await assert.rejects(Promise.resolve(running), { name: 'TerminatedError' });
    await until(async () => (await liveWorkerLocks()) === 0, 10_000, 'every worker to be gone');
  });

  it('close() and join() resolve once every worker is really gone', async () => {
    await until(async () => (await liveWorkerLocks()) === 0, 10_000, 'the workers of earlier tests to be gone');
    const pool = new Pool({ adapter: denoWorkers(), module: tasks, processes: 2 });
    assert.deepEqual(await pool.map('square', [1, 2, 3]), [1, 4, 9]);
    await until(async () => (await liveWorkerLocks()) === 2, 10_000, 'both workers to hold their locks');
    pool.close();
    await pool.join();
    assert.equal(pool.stats().workers, 0);
    // join() resolved on the lock grants: the workers are gone; the pool's side lets go of
    // each granted lock as soon as it has reported the exit.
    await until(async () => (await liveWorkerLocks()) === 0, 10_000, 'every worker to be gone');
  });

  it('permissions apply to the workers: read is limited to what is granted', async () => {
    // Needs --unstable-worker-options, which test/package.json passes.
    const pool = new Pool({
      adapter: denoWorkers({ permissions: { read: [fixtures], env: false, net: false, run: false, write: false } }),
      module: tasks,
      processes: 1,
    });
    const read = (path: string) => (globalThis as unknown as { Deno: { readTextFileSync(p: string): string } }).Deno.readTextFileSync(path).length;
    try {
      assert.ok((await pool.apply(read, [new URL('tasks.mjs', fixtures).pathname])) > 0);
      const denied = await pool.apply(read, [new URL('../../adapters/deno/package.json', fixtures).pathname]).catch((e: unknown) => e);
      assert.ok(denied instanceof Error, `expected an error, got ${denied}`);
      assert.match(denied.name, /NotCapable|PermissionDenied/);
      assert.equal(pool.state, 'RUN');
    } finally {
      await pool.terminate();
    }
  });

  it('a permission the object leaves out is inherited, as its type says; a key Deno does not know is a TypeError', async () => {
    const pool = new Pool({ adapter: denoWorkers({ permissions: { net: false } }), module: tasks, processes: 1 });
    const state = (name: string) => (globalThis as unknown as { Deno: { permissions: { querySync(d: { name: string }): { state: string } } } }).Deno.permissions.querySync({ name }).state;
    try {
      // Deno itself would give the left-out `read` as "prompt": the task module could not load.
      assert.equal(await pool.apply('square', [3]), 9);
      assert.equal(await pool.apply(state, ['read']), 'granted');
      assert.notEqual(await pool.apply(state, ['net']), 'granted');
    } finally {
      await pool.terminate();
    }
    assert.throws(() => denoWorkers({ permissions: { nett: true } as never }), /^TypeError: Unknown Deno permission 'nett' in 'permissions'; expected one of env, ffi, import, net, read, run, sys, write$/);
  });

  it('a worker denied read access to the task module breaks the pool instead of respawning', async () => {
    const pool = new Pool({ adapter: denoWorkers({ permissions: { read: false } }), module: tasks, processes: 1 });
    try {
      const error = await pool.apply('square', [2]).catch((e: unknown) => e);
      assert.ok(error instanceof BrokenPoolError, `expected BrokenPoolError, got ${error}`);
      // Deno's own advice (--allow-read) is about the process: the hint names the option and the directory.
      const directory = new URL('.', tasks).pathname;
      assert.ok(error.message.includes(`hint: the workers run with denoWorkers({ permissions }), which do not let them read the task module: grant it, e.g. denoWorkers({ permissions: { read: ['${directory}'] } })`), error.message);
    } finally {
      await pool.terminate();
    }
  });
});
