/** nodeWorkers' own options: resourceLimits, env, execArgv, argv, transfer, and host keep-alive. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool, WorkerExitError } from '@pool/core';
import { nodeWorkers, type NodeWorkersOptions } from '@pool/node-worker';
import { describe, expect, it } from 'vitest';
import { hostTurn, thrown, watchUnhandled } from '../../../test/conformance/harness.js';

const tasks = new URL('./fixtures/node-tasks.mjs', import.meta.url);

async function withPool(options: NodeWorkersOptions, body: (pool: Pool) => Promise<void>): Promise<void> {
  const pool = new Pool({ adapter: nodeWorkers(options), module: tasks, processes: 1 });
  try {
    await body(pool);
  } finally {
    await pool.terminate();
  }
}

describe('nodeWorkers options', () => {
  it('passes env to the worker threads', () =>
    withPool({ env: { POOL_TEST_VALUE: 'from-options' } }, async (pool) => {
      expect(await pool.apply('env', ['POOL_TEST_VALUE'])).toBe('from-options');
    }));

  it('passes argv and execArgv to the worker threads', () =>
    withPool({ argv: ['--answer', 42], execArgv: ['--no-warnings'] }, async (pool) => {
      expect(await pool.apply('argv')).toEqual(['--answer', '42']);
      expect(await pool.apply('execArgv')).toEqual(['--no-warnings']);
    }));

  it('resourceLimits cap the worker heap: running out kills that task alone', () =>
    withPool({ resourceLimits: { maxOldGenerationSizeMb: 16 } }, async (pool) => {
      const error = await pool.apply('allocate', [400]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerExitError);
      expect(((error as WorkerExitError).cause as { code?: string } | undefined)?.code).toBe('ERR_WORKER_OUT_OF_MEMORY');
      // The message a user reads first names the reason, not just an exit code.
      expect((error as WorkerExitError).message).toMatch(/out of memory/i);
      expect(await pool.apply('allocate', [2])).toBe(2);
    }));

  it('options the Worker constructor rejects: new Pool throws them, and nothing else escapes (no unhandled rejection)', async () => {
    const unhandled = watchUnhandled();
    try {
      for (const options of [{ argv: 'x' as unknown as unknown[] }, { execArgv: ['--no-such-node-flag'] }]) {
        const error = thrown(() => new Pool({ adapter: nodeWorkers(options), module: tasks, processes: 2 }));
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(/argv|execArgv/);
      }
      await hostTurn();
      await hostTurn();
      expect(unhandled.reasons).toEqual([]);
    } finally {
      unhandled.stop();
    }
  });
});

describe('transfer', () => {
  it('moves an ArrayBuffer to the worker instead of copying it', () =>
    withPool({}, async (pool) => {
      const buffer = new ArrayBuffer(1024 * 1024);
      expect(await pool.apply('byteLength', [buffer], { transfer: [buffer] })).toBe(1024 * 1024);
      expect(buffer.byteLength).toBe(0);
      const copied = new ArrayBuffer(16);
      expect(await pool.apply('byteLength', [copied])).toBe(16);
      expect(copied.byteLength).toBe(16);
    }));

  it('a detached buffer, or a transfer list of the wrong things, fails that call alone', () =>
    withPool({}, async (pool) => {
      const buffer = new ArrayBuffer(8);
      await pool.apply('byteLength', [buffer], { transfer: [buffer] });
      const detached = await pool.apply('byteLength', [{ buffer }]).catch((e: unknown) => e);
      expect((detached as Error).name).toBe('DataCloneError');
      const invalid = await pool.apply('byteLength', [new ArrayBuffer(4)], { transfer: [{}] }).catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(TypeError);
      expect(await pool.apply('byteLength', [new ArrayBuffer(4)])).toBe(4);
    }));
});

describe('the host process', () => {
  it('is kept alive by pending work and not by an idle pool, nor by an imap dropped part way: a script that forgets close() exits', () => {
    const script = fileURLToPath(new URL('./fixtures/forgets-close.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['[2,4,6] 3', 'late']);
  });
});
