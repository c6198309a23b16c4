/** nodeWorkers()'s own options: checked when the adapter is made, as the pool's are. */
import { Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';
import { describe, expect, it } from 'vitest';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('nodeWorkers() options', () => {
  it('an unknown option or a non-object is a TypeError naming it', () => {
    const typo = thrown(() => nodeWorkers({ execArg: ['--no-warnings'] } as never)) as Error;
    expect(typo).toBeInstanceOf(TypeError);
    expect(typo.message).toMatch(/^Unknown nodeWorkers option 'execArg'; expected one of .*execArgv/);
    expect(thrown(() => nodeWorkers(5 as never))).toBeInstanceOf(TypeError);
    expect(nodeWorkers(null as never).name).toBe('node-worker');
  });

  it('execArgv must be an array of strings and argv an array, not spread into letters', () => {
    const error = thrown(() => nodeWorkers({ execArgv: '--no-warnings' as never })) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain("'execArgv'");
    expect(thrown(() => nodeWorkers({ execArgv: [1] as never }))).toBeInstanceOf(TypeError);
    expect(thrown(() => nodeWorkers({ argv: 'x' as never }))).toBeInstanceOf(TypeError);
  });

  it('the options it knows reach the workers', async () => {
    const pool = new Pool({ adapter: nodeWorkers({ argv: ['--from-options'], name: 'custom' }), module: new URL('../../../test/fixtures/tasks.mjs', import.meta.url), processes: 1 });
    try {
      expect(await pool.apply((x: number) => x * 2, [21])).toBe(42);
      expect(await pool.apply(() => process.argv.at(-1))).toBe('--from-options');
    } finally {
      await pool.terminate();
    }
  });
});
