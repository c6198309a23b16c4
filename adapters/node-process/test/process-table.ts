/**
 * The OS's process table, read from /proc: what the tests believe about child processes comes
 * from here, never from flags in memory.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** A process as /proc/<pid>/stat describes it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** R, S, D, Z (zombie: exited, not yet reaped), … */
  state: string;
  cmdline: string;
}

/** One process's entry, or `null` once it is gone from the table (exited and reaped). */
export function entry(pid: number): ProcessEntry | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const [state = '?', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { pid, ppid: Number(ppid), state, cmdline };
  } catch {
    return null;
  }
}

/** Pool workers of this adapter (running its worker entry) whose parent is `ppid`. */
export function poolChildren(ppid = process.pid): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const e = entry(Number(name));
    if (e && e.ppid === ppid && e.state !== 'Z' && /node-process\/(dist|src)\/worker\.[cm]?[jt]s/.test(e.cmdline)) pids.push(e.pid);
  }
  return pids.sort((a, b) => a - b);
}

/** Gone from the table: exited and reaped by its parent. */
export const gone = (pid: number): boolean => entry(pid) === null;

/**
 * Not running any more. An orphan's exit is reaped by whatever adopted it (init here), which may
 * take its time or never do it: a zombie has exited all the same.
 */
export const dead = (pid: number): boolean => {
  const e = entry(pid);
  return e === null || e.state === 'Z';
};

