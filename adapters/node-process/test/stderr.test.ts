/** Why a child died: the last lines of its stderr reach the pool's exit records and events. */
import { Pool, type WorkerExitRecord } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { describe, expect, it } from 'vitest';
import { until } from '../../../test/conformance/harness.js';

const tasks = new URL('./fixtures/tasks.mjs', import.meta.url);

describe('stderr tail', () => {
  it('the last lines a dying child wrote to stderr are in its exit record and its workerexit event', async () => {
    const pool = new Pool({ adapter: nodeProcesses({ stderrLines: 2 }), module: tasks, processes: 1 });
    try {
      const events: WorkerExitRecord[] = [];
      pool.addEventListener('workerexit', ({ detail }) => events.push(detail));
      const died = pool.apply(() => {
        for (let i = 1; i <= 3; i++) process.stderr.write(`line ${i}\n`);
        process.stderr.write('fatal: out of widgets\n');
        process.exit(4);
      });
      await died.catch(() => {});
      await until(() => events.length === 1, 10_000, 'the exit event');
      expect(events[0]).toMatchObject({ reason: 'crashed', exitCode: 4, stderr: 'line 3\nfatal: out of widgets' });
      expect(pool.metrics().exits[0]!.stderr).toBe('line 3\nfatal: out of widgets');
    } finally {
      await pool.terminate();
    }
  });

  it('stderrLines is checked; 0 keeps nothing', async () => {
    expect(() => nodeProcesses({ stderrLines: -1 })).toThrow(RangeError);
    expect(() => nodeProcesses({ stderrLines: 1.5 })).toThrow(RangeError);
    const pool = new Pool({ adapter: nodeProcesses({ stderrLines: 0, stdio: 'ignore' }), module: tasks, processes: 1 });
    try {
      await pool.apply(() => process.exit(5)).catch(() => {});
      await until(() => pool.metrics().exits.length === 1, 10_000, 'the exit');
      expect(pool.metrics().exits[0]!.stderr).toBeUndefined();
    } finally {
      await pool.terminate();
    }
  });
});
