/**
 * @pool/bun's own behaviour, beyond the conformance suite: Bun's worker options reach the
 * workers, an idle pool does not keep Bun alive, and `terminate()` leaves no worker behind.
 * Run by `bun test` (see test/package.json); named *.bun.ts so that vitest leaves it alone.
 */
import { describe, expect, it } from 'bun:test';
import { Pool, WorkerExitError } from '@pool/core';
import { bunWorkers } from '@pool/bun';
import { until } from '../../../test/conformance/harness.ts';

const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const tasks = new URL('tasks.mjs', fixtures);


/** Runs a script in a fresh Bun and returns its exit code, or 'hung' if it did not end in time. */
async function runScript(source: string, ms = 15_000): Promise<{ code: number | 'hung'; out: string }> {
  const child = Bun.spawn([process.execPath, '--eval', source], { cwd: new URL('.', import.meta.url).pathname, stdout: 'pipe', stderr: 'pipe' });
  const timer = setTimeout(() => child.kill(), ms);
  const code = await child.exited;
  clearTimeout(timer);
  const out = (await new Response(child.stdout).text()) + (await new Response(child.stderr).text());
  return { code: child.signalCode ? 'hung' : code, out };
}

describe('bunWorkers', () => {
  it("a task's uncaught error kills its worker with that error as cause, unless the task module handles it, as on Node", async () => {
    const pool = new Pool({ adapter: bunWorkers(), processes: 1 });
    try {
      const error = await pool.apply(() => new Promise(() => setTimeout(() => { throw new RangeError('async boom'); }, 1))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerExitError);
      expect([(error as WorkerExitError).exitCode, ((error as WorkerExitError).cause as Error).name, ((error as WorkerExitError).cause as Error).message]).toEqual([1, 'RangeError', 'async boom']);
    } finally {
      await pool.terminate();
    }
    // In a script of its own: under \`bun test\`, a worker's process handlers are never called.
    const script = `
      import { Pool } from '@pool/core';
      import { bunWorkers } from '@pool/bun';
      const pool = new Pool({ adapter: bunWorkers(), processes: 1 });
      console.log(await pool.apply(async () => {
        process.on('uncaughtException', () => { globalThis.handled = true; });
        setTimeout(() => { throw new Error('handled here'); }, 1);
        while (!globalThis.handled) await new Promise((resolve) => setTimeout(resolve, 5));
        return 'survived';
      }));
      await pool.terminate();
    `;
    const { code, out } = await runScript(script);
    expect([code, out.trim()]).toEqual([0, 'survived']);
  });

  it('an unknown option, a non-object or an execArgv that is not a list is a TypeError naming it', () => {
    expect(() => bunWorkers({ smoll: true } as never)).toThrow(/^Unknown bunWorkers option 'smoll'; expected one of .*smol/);
    expect(() => bunWorkers(5 as never)).toThrow(TypeError);
    expect(() => bunWorkers({ execArgv: '--smol' as never })).toThrow(/'execArgv'/);
    expect(bunWorkers({ smol: true }).name).toBe('bun');
  });

  it('passes env through to the workers', async () => {
    const pool = new Pool({ adapter: bunWorkers({ env: { POOL_TEST_VALUE: 'from-options' } }), module: tasks, processes: 1 });
    try {
      expect(await pool.apply(() => process.env['POOL_TEST_VALUE'])).toBe('from-options');
    } finally {
      await pool.terminate();
    }
  });

  it('runs preload modules in each worker before the pool', async () => {
    const preload = new URL('preload.ts', import.meta.url).pathname;
    const pool = new Pool({ adapter: bunWorkers({ preload, smol: true }), module: tasks, processes: 2 });
    try {
      const seen = await pool.map(() => (globalThis as { poolPreloaded?: string }).poolPreloaded, [1, 2], { chunksize: 1 });
      expect(seen).toEqual(['yes', 'yes']);
    } finally {
      await pool.terminate();
    }
  });

  it('a preload that is not there is a TypeError naming it, not Bun\'s bare "undefined"', () => {
    let error: unknown;
    try {
      new Pool({ adapter: bunWorkers({ preload: './no-such-preload.mjs' }), module: tasks, processes: 1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('Bun could not start a worker with preload "./no-such-preload.mjs": is every file there?');
  });

  it('terminate() leaves no worker running: it resolves after every close event', async () => {
    const pool = new Pool({ adapter: bunWorkers(), module: tasks, processes: 2 });
    const running = pool.applyAsync(() => {
      for (;;);
    });
    await until(() => pool.stats().busy === 1, 10_000, 'the worker to be busy');
    await pool.terminate();
    expect(pool.stats().workers).toBe(0);
    expect(await Promise.resolve(running).catch((e: Error) => e.name)).toBe('TerminatedError');
  });

  it('process.exit() in a task gives WorkerExitError with its exit code, and the worker is replaced', async () => {
    const pool = new Pool({ adapter: bunWorkers(), module: tasks, processes: 1 });
    try {
      const error = await pool.apply('exitWorker', [5]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerExitError);
      expect((error as WorkerExitError).exitCode).toBe(5);
      await until(() => pool.stats().workers === 1, 10_000, 'a replacement worker');
      expect(await pool.apply('square', [4])).toBe(16);
    } finally {
      await pool.terminate();
    }
  });

  it('an idle pool does not keep Bun alive; a busy one does until its work is done', async () => {
    const script = `
      import { Pool } from '@pool/core';
      import { bunWorkers } from '@pool/bun';
      const pool = new Pool({ adapter: bunWorkers(), module: ${JSON.stringify(tasks.href)}, processes: 2 });
      pool.apply('sleepThen', [200, 'late']).then((v) => console.log('result', v));
    `;
    const { code, out } = await runScript(script);
    expect(code).toBe(0);
    expect(out).toContain('result late');
  });
});
