// W3 on processes, unit by unit: 32 × fib(27) on 2 children, warmed as W3 warms them, for
// `nodeProcesses()` or the bare fork floor (every unit sent at once, round robin). Each unit
// stamps its start and end, so per child it prints the units it ran, the time in them, the gaps
// between them, and its main thread's CPU and run-queue wait from its first unit to its last;
// and the host's own CPU over the 32 calls.
//   node bench/profiles/w3-timeline.mjs [pool|floor] [runs=5]
// bench/README.md, "W3 on processes: where the time goes", has what it showed.
import { fork } from 'node:child_process';
import { Pool } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';

const [which = 'pool', runs = '5'] = process.argv.slice(2);
const tasks = new URL('./w3-tasks.mjs', import.meta.url);

function open() {
  if (which === 'pool') {
    const pool = new Pool({ adapter: nodeProcesses(), processes: 2, module: tasks.href });
    return { call: (task, arg) => pool.apply(task, [arg]), close: () => pool.terminate() };
  }
  const children = [0, 1].map(() => fork(tasks.pathname, ['floor-child'], { serialization: 'advanced' }));
  const waiting = children.map(() => []);
  children.forEach((child, i) => {
    child.on('message', (value) => waiting[i].shift()(value));
  });
  const ops = { inc: 0, fib: 2, stampedFib: 4 };
  let next = 0;
  const call = (task, arg) =>
    new Promise((resolve) => {
      const i = next;
      next = (next + 1) % children.length;
      waiting[i].push(resolve);
      children[i].send([ops[task], arg]);
    });
  return {
    call,
    close: async () => {
      for (const child of children) child.kill();
    },
  };
}

const ms = (x) => x.toFixed(1);
for (let run = 0; run < Number(runs); run++) {
  const { call, close } = open();
  await Promise.all(Array.from({ length: 100 }, (_, i) => call('inc', i)));
  await Promise.all(Array.from({ length: 4 }, () => call('fib', 20)));
  const t0 = performance.timeOrigin + performance.now();
  const cpu = process.cpuUsage();
  const units = await Promise.all(Array.from({ length: 32 }, () => call('stampedFib', 27)));
  const total = performance.timeOrigin + performance.now() - t0;
  const hostCpu = process.cpuUsage(cpu);
  const byChild = new Map();
  for (const unit of units) byChild.set(unit.pid, [...(byChild.get(unit.pid) ?? []), unit]);
  const rows = [...byChild.values()].map((list) => {
    list.sort((a, b) => a.start - b.start);
    let running = 0;
    let gaps = 0;
    list.forEach((unit, i) => {
      running += unit.end - unit.start;
      if (i > 0) gaps += unit.start - list[i - 1].end;
    });
    const first = list[0];
    const last = list.at(-1);
    return `${list.length} units, first at ${ms(first.start - t0)} (${ms(first.end - first.start)} ms), running ${ms(running)}, gaps ${ms(gaps)}, CPU ${ms(last.cpu - first.cpu)} / run queue ${ms(last.wait - first.wait)} of ${ms(last.start - first.start)} ms`;
  });
  console.log(`${which} ${ms(total)} ms, host CPU ${ms((hostCpu.user + hostCpu.system) / 1000)} ms | ${rows.join(' | ')}`);
  await close();
}
