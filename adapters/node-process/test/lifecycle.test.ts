/**
 * Nothing is left behind: every claim here is checked against the OS's process table.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, TerminatedError } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { describe, expect, it } from 'vitest';
import { until } from '../../../test/conformance/harness.js';
import { dead, entry, gone, poolChildren } from './process-table.js';

const tasks = new URL('./fixtures/tasks.mjs', import.meta.url);
const parentScript = new URL('./fixtures/parent.mjs', import.meta.url);

/** Bun, from the npm package: a runtime whose fork() the kernel's parent-death signal is not used with. */
const bun = fileURLToPath(new URL('../../../node_modules/.bin/bun', import.meta.url));

/** Starts the fixture parent (under Node, or `runtime`) and resolves its first line of JSON, once it has printed it. */
function startParent(mode: string, options: object = {}, runtime = process.execPath) {
  const child = spawn(runtime, [parentScript.pathname, mode, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })));
  const report = async (): Promise<{ children: number[] }> => {
    await until(() => /^\{.*\}$/m.test(stdout) || child.exitCode !== null, 10_000, 'the parent to report its children');
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`parent failed: ${stderr}`);
    return JSON.parse(line) as { children: number[] };
  };
  return { child, exited, report, output: () => ({ stdout, stderr }) };
}

/** The names of a process's threads, from /proc. */
function threadNames(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).map((task) => readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim());
}

describe('nodeProcesses: nothing left behind', () => {
  it('terminate() resolves only once every child has exited and been reaped, busy or idle', async () => {
    const pool = new Pool({ adapter: nodeProcesses(), module: tasks, processes: 3 });
    const spinning = pool.apply('spin');
    spinning.catch(() => {});
    await until(() => pool.stats().busy === 1, 10_000, 'a child to start spinning');
    await until(() => poolChildren().length === 3, 10_000, 'three children in the process table');
    const pids = poolChildren();
    await pool.terminate();
    expect(pids.filter((pid) => !gone(pid))).toEqual([]);
    expect(poolChildren()).toEqual([]);
    await expect(spinning).rejects.toBeInstanceOf(TerminatedError);
  });

  it('a child that ignores SIGTERM is SIGKILLed after killTimeout', async () => {
    const pool = new Pool({ adapter: nodeProcesses({ killTimeout: 300 }), module: tasks, processes: 1 });
    const ready = join(mkdtempSync(join(tmpdir(), 'pool-deaf-')), 'ready');
    pool.apply('ignoreSigtermAndSpin', [ready]).catch(() => {});
    await until(() => existsSync(ready), 10_000, 'the child to ignore SIGTERM');
    const [pid] = poolChildren();
    expect(readFileSync(ready, 'utf8')).toBe(String(pid));
    const started = Date.now();
    await pool.terminate();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(gone(pid!)).toBe(true);
  });

  it('close() + join(): every child leaves on its own, with exit code 0', async () => {
    const notes = mkdtempSync(join(tmpdir(), 'pool-exit-notes-'));
    const pool = new Pool({
      adapter: nodeProcesses({ env: { ...process.env, POOL_EXIT_NOTES: notes } }),
      module: tasks,
      processes: 2,
    });
    const pids = new Set(await pool.map('pid', [1, 2, 3, 4, 5, 6, 7, 8], { chunksize: 1 }));
    const children = poolChildren();
    expect(children.length).toBe(2);
    for (const pid of pids) expect(children).toContain(pid);
    pool.close();
    await pool.join();
    expect(children.filter((pid) => !gone(pid))).toEqual([]);
    // Exit handlers ran, which a signal would not have allowed.
    expect(readdirSync(notes).map(Number).sort((a, b) => a - b)).toEqual(children);
    for (const pid of children) expect(readFileSync(join(notes, String(pid)), 'utf8')).toBe('0');
  });

  it('a SIGKILLed parent leaves no child alive, even one whose task blocks its event loop', async () => {
    const parent = startParent('orphan-busy');
    const { children } = await parent.report();
    expect(children.length).toBe(2);
    for (const pid of children) expect(entry(pid)).toMatchObject({ ppid: parent.child.pid, state: expect.not.stringMatching('Z') });
    parent.child.kill('SIGKILL');
    expect(await parent.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await until(() => children.every(dead), 3_000, `orphans ${children.join(', ')} to exit`);
  });

  it('under Bun, where a watchdog thread in each child does it, a SIGKILLed parent leaves no busy child alive', async () => {
    const parent = startParent('orphan-busy', {}, bun);
    const { children } = await parent.report();
    expect(children.length).toBe(2);
    // Bun names its threads (15 bytes of the name): each child's watchdog is running.
    await until(() => children.every((pid) => threadNames(pid).includes('@pool/node-proc')), 10_000, 'the watchdog threads');
    parent.child.kill('SIGKILL');
    await parent.exited;
    await until(() => children.every(dead), 3_000, `orphans ${children.join(', ')} to exit`);
  });

  it('on Linux with util-linux setpriv, watching the parent costs a child no thread: the kernel sends the signal', async () => {
    const threads = async (watchParent: boolean) => {
      const pool = new Pool({ adapter: nodeProcesses({ watchParent }), module: tasks, processes: 1 });
      const [pid] = await pool.map('pid', [1]);
      const count = threadNames(pid!).length;
      await pool.terminate();
      return count;
    };
    const kernel = ['/usr/bin/setpriv', '/bin/setpriv'].some((path) => existsSync(path) && readFileSync(path).includes('pdeathsig'));
    expect(await threads(true)).toBe((await threads(false)) + (kernel ? 0 : 1));
  });

  it('without the watchdog, idle orphans still exit on the broken IPC channel', async () => {
    const parent = startParent('orphan-idle', { watchParent: false });
    const { children } = await parent.report();
    expect(children.length).toBe(2);
    parent.child.kill('SIGKILL');
    await parent.exited;
    await until(() => children.every(dead), 3_000, `orphans ${children.join(', ')} to exit`);
  });

  it('an orphan that answers into the dead parent\'s channel exits quietly, with no EPIPE stack', async () => {
    // Without the watchdog and with stderr straight through, a child blocked in a task outlives
    // its parent, and its answer then fails at once (EPIPE) on the closed channel.
    const parent = startParent('orphan-answering', { watchParent: false, stderrLines: 0 });
    const { children } = await parent.report();
    expect(children.length).toBe(2);
    parent.child.kill('SIGKILL');
    await parent.exited;
    await until(() => children.every(dead), 5_000, `orphans ${children.join(', ')} to exit`);
    const { stderr } = parent.output();
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error'/);
  });

  it('a busy pool keeps its parent alive, an idle one lets it exit; children inherit stdout and stderr', async () => {
    const parent = startParent('lifecycle');
    const { children } = await parent.report();
    expect(await parent.exited).toEqual({ code: 0, signal: null });
    const { stdout, stderr } = parent.output();
    expect(stdout).toContain('slept'); // the pending task held the parent open until it answered
    expect(stdout).toContain('hello from a child\n');
    expect(stderr).toContain('hello from a child (stderr)');
    await until(() => children.every(dead), 3_000, `children ${children.join(', ')} of the exited parent to exit`);
  });
});
