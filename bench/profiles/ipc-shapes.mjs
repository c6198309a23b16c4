// Messages over child_process IPC, as objects on the 'advanced' channel (what nodeProcesses sent
// before), as JSON text on it (what it sends now for messages JSON carries exactly and cheaply),
// and as objects on the 'json' channel. Round trips one at a time to a child that echoes.
//   node bench/profiles/ipc-shapes.mjs [rounds=2]   the pool's message shapes, three ways: wall/parent CPU
//   node bench/profiles/ipc-shapes.mjs sizes        answers of n integers, doubles, objects, two ways:
//                                                   where JSON text stops paying (wire.ts's budgets)
// bench/README.md, "Processes: plain messages as JSON", has what they showed.
import { fork } from 'node:child_process';

/** A child that echoes each message the way it came; `trip(message)` resolves with the echo. */
function echo(serialization, text) {
  const child = fork(new URL(import.meta.url), ['child'], { serialization });
  let resolve;
  child.on('message', (m) => resolve(typeof m === 'string' ? JSON.parse(m) : m));
  const trip = (m) => new Promise((r) => {
    resolve = r;
    child.send(text ? JSON.stringify(m) : m);
  });
  return { trip, kill: () => child.kill() };
}

/** µs per round trip of `message`, after a warm-up; and the parent's CPU µs per trip. */
async function time(trip, message, n, warm) {
  for (let i = 0; i < warm; i++) await trip(message);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await trip(message);
  const used = process.cpuUsage(cpu);
  return { wall: ((performance.now() - t0) * 1000) / n, cpu: (used.user + used.system) / n };
}

async function shapes(rounds) {
  const list = {
    'task (tiny)': [3000, { type: 'task', id: 1, kind: 0, task: 'inc', args: [1] }],
    'batch of 64': [3000, { type: 'batch', id: 1, kind: 0, task: 'inc', args: Array.from({ length: 64 }, (_, i) => i), single: true }],
    '1000 integers': [1000, { type: 'ok', id: 1, value: Array.from({ length: 1000 }, (_, i) => i * 7) }],
    '1000 objects': [300, { type: 'ok', id: 1, value: Array.from({ length: 1000 }, (_, i) => ({ a: i, b: `x${i}`, c: [i] })) }],
    '16K string': [1000, { type: 'ok', id: 1, value: 'é'.repeat(1 << 14) }],
    '1 MB string': [50, { type: 'ok', id: 1, value: 'x'.repeat(1 << 20) }],
  };
  for (let round = 0; round < rounds; round++) {
    for (const [serialization, text] of [['advanced', false], ['advanced', true], ['json', false]]) {
      const { trip, kill } = echo(serialization, text);
      const cells = [];
      for (const [name, [n, message]] of Object.entries(list)) {
        const { wall, cpu } = await time(trip, message, n, Math.min(n, 200));
        cells.push(`${name} ${wall.toFixed(0)}/${cpu.toFixed(0)}`);
      }
      console.log(`${serialization}${text ? ' + JSON text' : ''}`.padEnd(22), 'µs per round trip, wall/parent CPU:', cells.join(' | '));
      kill();
    }
  }
}

async function sizes() {
  const ways = [false, true].map((text) => echo('advanced', text));
  const makers = {
    integers: (n) => Array.from({ length: n }, (_, i) => i * 7),
    doubles: (n) => Array.from({ length: n }, (_, i) => i / 3),
    objects: (n) => Array.from({ length: n }, (_, i) => ({ a: i, b: 'x', c: [i] })),
  };
  for (const [name, make] of Object.entries(makers)) {
    for (const n of [1000, 4000, 16000, 64000, 256000, 1000000]) {
      const message = { type: 'ok', id: 1, value: make(n) };
      const reps = Math.max(3, Math.round(100000 / n));
      const best = [Infinity, Infinity];
      for (let run = 0; run < 4; run++) best[run % 2] = Math.min(best[run % 2], (await time(ways[run % 2].trip, message, reps, 3)).wall);
      const [object, text] = best;
      console.log(name.padEnd(9), String(n).padStart(8), 'object', object.toFixed(0).padStart(8), 'µs   text', text.toFixed(0).padStart(8), 'µs', `${(text / object).toFixed(2)}×`);
    }
  }
  for (const way of ways) way.kill();
}

if (process.argv[2] === 'child') {
  process.on('message', (m) => process.send(typeof m === 'string' ? JSON.stringify(JSON.parse(m)) : m));
} else if (process.argv[2] === 'sizes') {
  await sizes();
} else {
  await shapes(Number(process.argv[2] ?? 2));
}
