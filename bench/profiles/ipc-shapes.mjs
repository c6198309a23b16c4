// One message shape, three ways over child_process IPC: objects on the 'advanced' channel (the
// pool before), the same as JSON text on it (the pool now, for messages JSON carries exactly),
// and objects on the 'json' channel. Round trips one at a time; wall and parent CPU per round
// trip. bench/README.md, "Processes: plain messages as JSON", has what it showed.
//   node bench/profiles/ipc-shapes.mjs [rounds=2]
import { fork } from 'node:child_process';

if (process.argv[2] === 'child') {
  process.on('message', (m) => process.send(typeof m === 'string' ? JSON.stringify(JSON.parse(m)) : m));
} else {
  const rounds = Number(process.argv[2] ?? 2);
  const shapes = {
    'task (tiny)': [3000, { type: 'task', id: 1, kind: 0, task: 'inc', args: [1] }],
    'batch of 64': [3000, { type: 'batch', id: 1, kind: 0, task: 'inc', args: Array.from({ length: 64 }, (_, i) => i), single: true }],
    '1000 integers': [1000, { type: 'ok', id: 1, value: Array.from({ length: 1000 }, (_, i) => i * 7) }],
    '1000 objects': [300, { type: 'ok', id: 1, value: Array.from({ length: 1000 }, (_, i) => ({ a: i, b: `x${i}`, c: [i] })) }],
    '16K string': [1000, { type: 'ok', id: 1, value: 'é'.repeat(1 << 14) }],
    '1 MB string': [50, { type: 'ok', id: 1, value: 'x'.repeat(1 << 20) }],
  };
  const ways = [['advanced', false], ['advanced', true], ['json', false]];
  for (let round = 0; round < rounds; round++) {
    for (const [serialization, text] of ways) {
      const child = fork(new URL(import.meta.url), ['child'], { serialization });
      let resolve;
      child.on('message', (m) => resolve(typeof m === 'string' ? JSON.parse(m) : m));
      const trip = (m) => new Promise((r) => { resolve = r; child.send(text ? JSON.stringify(m) : m); });
      const cells = [];
      for (const [name, [n, message]] of Object.entries(shapes)) {
        for (let i = 0; i < Math.min(n, 200); i++) await trip(message);
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        for (let i = 0; i < n; i++) await trip(message);
        const wall = ((performance.now() - t0) * 1000) / n;
        const used = process.cpuUsage(cpu);
        cells.push(`${name} ${wall.toFixed(0)}/${((used.user + used.system) / n).toFixed(0)}`);
      }
      console.log(`${serialization}${text ? ' + JSON text' : ''}`.padEnd(22), 'µs per round trip, wall/parent CPU:', cells.join(' | '));
      child.kill();
    }
  }
}
