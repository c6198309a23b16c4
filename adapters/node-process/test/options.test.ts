/**
 * Options reach the children: each is observed from inside a child (or from the file its output
 * went to), not from the options object.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from '@pool/core';
import { nodeProcesses, type NodeProcessesOptions } from '@pool/node-process';
import { describe, expect, it } from 'vitest';

const tasks = new URL('./fixtures/tasks.mjs', import.meta.url);
const poolWith = (options: NodeProcessesOptions) => new Pool({ adapter: nodeProcesses(options), module: tasks, processes: 1 });

describe('nodeProcesses: options', () => {
  it('env, cwd, execArgv and argv reach the child', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pool-cwd-')));
    await using pool = poolWith({
      env: { ...process.env, POOL_TEST_VALUE: 'from the parent' },
      cwd: dir,
      execArgv: ['--max-old-space-size=64', '--no-warnings'],
      argv: ['--flag', 'value'],
    });
    expect(await pool.apply('env', ['POOL_TEST_VALUE'])).toBe('from the parent');
    expect(await pool.apply('cwd')).toBe(dir);
    expect(await pool.apply('execArgv')).toEqual(['--max-old-space-size=64', '--no-warnings']);
    expect(await pool.apply('argv')).toEqual(['--flag', 'value']);
  });

  it('without execArgv the children get the parent\'s, and no flag of the pool\'s own', async () => {
    await using pool = poolWith({});
    expect(await pool.apply('execArgv')).toEqual(process.execArgv);
  });

  it('a preload that listens to messages before the worker does still gets a working pool', async () => {
    // Node reads the channel from the first listener on, so the preload is handed `init` and the
    // first unit before the worker entry listens; the child asks for them again.
    const preload = new URL('./fixtures/listening-preload.mjs', import.meta.url).href;
    await using pool = new Pool({ adapter: nodeProcesses({ execArgv: ['--import', preload] }), module: tasks, processes: 1, initializer: 'setValue', initargs: [41] });
    expect(await pool.apply('sum', [[1, 2, 3]], { timeout: 20_000 })).toBe(6);
    expect(await pool.apply('initialized')).toBe(41);
    expect(await pool.map('identity', [1, 2, 3])).toEqual([1, 2, 3]);
    // It was handed the messages (init, the first unit) before the entry listened.
    expect(await pool.apply('preloadSaw')).toBeGreaterThanOrEqual(2);
  });

  it('env replaces the environment rather than adding to it', async () => {
    process.env.POOL_TEST_PARENT_ONLY = 'parent';
    try {
      await using inherited = poolWith({});
      expect(await inherited.apply('env', ['POOL_TEST_PARENT_ONLY'])).toBe('parent');
      await using replaced = poolWith({ env: { PATH: process.env.PATH } });
      expect(await replaced.apply('env', ['POOL_TEST_PARENT_ONLY'])).toBeUndefined();
    } finally {
      delete process.env.POOL_TEST_PARENT_ONLY;
    }
  });

  it('stdio: stdout and stderr go where it says; stdin is /dev/null by default', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pool-stdio-')), 'out.log');
    const fd = openSync(file, 'w');
    try {
      const pool = poolWith({ stdio: ['ignore', fd, fd] });
      expect(await pool.apply('stdin')).toBe('/dev/null');
      await pool.apply('log', ['written by a child']);
      pool.close();
      await pool.join();
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe('written by a child\nwritten by a child (stderr)\n');
  });

  it('bad options throw at once, naming the option', () => {
    expect(() => nodeProcesses({ killTimeout: -1 })).toThrow(RangeError);
    expect(() => nodeProcesses({ killTimeout: Number.NaN })).toThrow(/killTimeout/);
    expect(() => nodeProcesses({ stdio: 'pipe' as never })).toThrow(TypeError);
    expect(() => nodeProcesses({ stdio: ['ignore', 'pipe', 'inherit'] as never })).toThrow(/stdio.*stdout/);
    expect(() => nodeProcesses({ stdio: ['ignore', 'inherit'] as never })).toThrow(/stdio/);
  });
});

describe('nodeProcesses: options checked when the adapter is made', () => {
  const thrown = (f: () => unknown): Error => {
    try {
      f();
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a throw');
  };

  it('an unknown option or a non-object is a TypeError naming it', () => {
    const typo = thrown(() => nodeProcesses({ killtimeout: 10 } as never));
    expect(typo).toBeInstanceOf(TypeError);
    expect(typo.message).toMatch(/^Unknown nodeProcesses option 'killtimeout'; expected one of .*killTimeout/);
    expect(thrown(() => nodeProcesses('fast' as never))).toBeInstanceOf(TypeError);
  });

  it('execArgv and argv must be arrays of strings: a string is not spread into letters', () => {
    const error = thrown(() => nodeProcesses({ execArgv: '--no-warnings' as never }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain("'execArgv'");
    expect(thrown(() => nodeProcesses({ argv: [1] as never }))).toBeInstanceOf(TypeError);
    expect(thrown(() => nodeProcesses({ killTimeout: -1 }))).toBeInstanceOf(RangeError);
  });
});
