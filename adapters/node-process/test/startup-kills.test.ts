/**
 * Outside kills while workers start (an OOM killer, an operator) are not the module's fault: the
 * pool backs off and replaces the workers instead of breaking, and the work completes. Real
 * SIGKILLs, read from the process table; run it with the machine loaded to slow start-up further.
 */
import { Pool, WorkerExitError } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { describe, expect, it } from 'vitest';
import { until } from '../../../test/conformance/harness.js';
import { poolChildren } from './process-table.js';

const slowStart = new URL('./fixtures/slow-start.mjs', import.meta.url);

describe('nodeProcesses: SIGKILL from outside during start-up', () => {
  it('eight children killed as they start: the pool stays RUN, and a map with retries returns every result', async () => {
    await using pool = new Pool({ adapter: nodeProcesses(), module: slowStart, processes: 2 });
    const items = Array.from({ length: 200 }, (_, i) => i);
    const mapped = pool.map('square', items, { chunksize: 5, retries: 20 });
    const killed = new Set<number>();
    // Every child is killed as soon as it appears, before its module (150 ms) can load.
    await until(() => {
      for (const pid of poolChildren()) {
        if (killed.size < 8 && !killed.has(pid)) {
          killed.add(pid);
          process.kill(pid, 'SIGKILL');
        }
      }
      return killed.size === 8;
    }, 30_000, 'eight children to be killed while starting');
    expect(await mapped).toEqual(items.map((x) => x * x));
    expect(pool.state).toBe('RUN');
    // A replacement may still be waiting out its back-off: the pool gets back to full strength.
    await until(() => pool.stats().workers === 2, 10_000, 'the pool back at two workers');
    expect(pool.stats()).toMatchObject({ state: 'RUN', pending: 0 });
  });

  it('a child killed while it runs a task still fails that task (no retries): the start-up policy changes nothing there', async () => {
    await using pool = new Pool({ adapter: nodeProcesses(), module: slowStart, processes: 1 });
    const pid = (await pool.apply('pid')) as number;
    const slow = pool.apply('square', [2]).then(() => pool.apply(() => new Promise((r) => setTimeout(r, 60_000))));
    await until(() => pool.stats().busy === 1 && pool.stats().completed >= 2, 10_000, 'the long task to start');
    process.kill(pid, 'SIGKILL');
    const error = await slow.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerExitError);
    expect(error).toMatchObject({ signal: 'SIGKILL' });
    expect(await pool.apply('square', [5])).toBe(25);
    expect(pool.state).toBe('RUN');
  });
});
