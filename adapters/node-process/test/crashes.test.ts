/**
 * A child that dies mid-task fails that task alone with WorkerExitError; the pool replaces the
 * child (a new PID, the old one gone from the process table) and carries on.
 */
import { tmpdir } from 'node:os';
import { BrokenPoolError, Pool, WorkerExitError, type Adapter } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { describe, expect, it } from 'vitest';
import { until } from '../../../test/conformance/harness.js';
import { gone, poolChildren } from './process-table.js';

const tasks = new URL('./fixtures/tasks.mjs', import.meta.url);

/** Runs `kill` against a one-child pool and checks the task's error, the replacement and the old PID. */
async function diesMidTask(adapter: Adapter, start: (pool: Pool) => Promise<unknown>, kill?: (pid: number) => void): Promise<WorkerExitError> {
  await using pool = new Pool({ adapter, module: tasks, processes: 1 });
  const before = (await pool.apply('pid')) as number;
  const task = start(pool);
  task.catch(() => {});
  if (kill) {
    await until(() => pool.stats().busy === 1, 10_000, 'the task to start');
    kill(before);
  }
  const error = await task.then(() => { throw new Error('the task should have failed'); }, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkerExitError);
  const after = (await pool.apply('pid')) as number;
  expect(after).not.toBe(before);
  expect(gone(before)).toBe(true);
  expect(poolChildren()).toEqual([after]);
  expect(pool.stats()).toMatchObject({ workers: 1, failed: 1 });
  return error as WorkerExitError;
}

describe('nodeProcesses: children that die mid-task', () => {
  it('process.exit(n): the task rejects with that exit code', async () => {
    const error = await diesMidTask(nodeProcesses(), (pool) => pool.apply('exitWith', [3]));
    expect(error).toMatchObject({ exitCode: 3, signal: null });
  });

  it('an uncaught error: exit code 1, and the error as the cause', async () => {
    const error = await diesMidTask(nodeProcesses({ stdio: 'ignore' }), (pool) => pool.apply('throwLater', ['boom later']));
    expect(error).toMatchObject({ exitCode: 1, signal: null });
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.cause).toMatchObject({ message: 'boom later' });
  });

  it('SIGKILL from outside: the task rejects with the signal', async () => {
    const error = await diesMidTask(nodeProcesses(), (pool) => pool.apply('spin'), (pid) => process.kill(pid, 'SIGKILL'));
    expect(error).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
  });

  it('out of memory (a small --max-old-space-size): V8 aborts the child', async () => {
    // stderr is silenced (V8's heap report) and cwd is a temp dir, where a core dump would land.
    const adapter = nodeProcesses({ execArgv: ['--max-old-space-size=24'], stdio: 'ignore', cwd: tmpdir() });
    const error = await diesMidTask(adapter, (pool) => pool.apply('allocateForever'));
    expect(error).toMatchObject({ exitCode: null, signal: 'SIGABRT' });
  });

  it('a child that answers and exits at once: the answer wins over the exit', async () => {
    await using pool = new Pool({ adapter: nodeProcesses(), module: tasks, processes: 1 });
    for (let i = 0; i < 4; i++) {
      const [answer, pid] = (await pool.apply('answerThenExit', [i])) as [number, number];
      expect(answer).toBe(i);
      // Work sent before the pool sees the exit would fail with it: wait for the replacement.
      await until(() => gone(pid) && poolChildren().length === 1, 10_000, 'the replacement child');
    }
    expect(pool.stats()).toMatchObject({ completed: 4, failed: 0 });
  });

  it('a child that cannot even be spawned (no such cwd) breaks the pool instead of hanging', async () => {
    const pool = new Pool({ adapter: nodeProcesses({ cwd: '/nonexistent/pool-cwd' }), module: tasks, processes: 1 });
    const error = await pool.apply('pid').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenPoolError);
    expect(pool.state).toBe('BROKEN');
    expect(JSON.stringify((error as Error).cause, ['message', 'cause', 'code'])).toContain('ENOENT');
    await pool.terminate();
  });
});
