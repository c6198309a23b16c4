// Peak resident memory of this process and every process it started (Linux /proc; VmHWM).
import { readdirSync, readFileSync } from 'node:fs';

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

function highWater(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`));
  return match ? Number(match[1]) * 1024 : 0;
}

function descendants(pid) {
  const parents = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(Number(name), ppid);
  }
  const found = [];
  const walk = (p) => {
    for (const [child, parent] of parents) if (parent === p) found.push(child), walk(child);
  };
  walk(pid);
  return found;
}

/** { tree, host } in bytes (tree: host + every descendant process), or null without /proc. */
export function peakRss(pid) {
  const host = highWater(pid);
  if (host === 0) return null;
  return { tree: descendants(pid).reduce((sum, child) => sum + highWater(child), host), host };
}
