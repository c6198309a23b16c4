// W3's task, stamped: what bench/profiles/w3-timeline.mjs runs in each child. `fib` as the bench's,
// plus `stampedFib`, which returns when its unit started and ended, the child's pid, and its main
// thread's CPU and run-queue time so far (Linux's /proc/thread-self/schedstat, in ms).
import { readFileSync } from 'node:fs';
import { fib } from '../tasks/tasks.mjs';

export { fib, inc } from '../tasks/tasks.mjs';

const now = () => performance.timeOrigin + performance.now();
function schedstat() {
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { cpu: cpu / 1e6, wait: wait / 1e6 };
  } catch {
    return { cpu: Number.NaN, wait: Number.NaN };
  }
}

/** Which worker ran a unit, where several share a process (threads: profiles/w3-bun.mjs). */
const worker = Math.random().toString(36).slice(2, 8);

export function stampedFib(n) {
  const { cpu, wait } = schedstat();
  const start = now();
  const value = fib(n);
  return { pid: process.pid, worker, start, end: now(), value, cpu, wait };
}

// The floor's child: the bench's bare fork ping-pong, with stampedFib as a fifth op.
if (process.argv[2] === 'floor-child') {
  const { inc } = await import('../tasks/tasks.mjs');
  const table = [inc, null, fib, null, stampedFib];
  process.on('message', (m) => process.send(table[m[0]](m[1]) ?? null));
}
