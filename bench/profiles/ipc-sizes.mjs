// Where JSON text stops paying on Node's advanced IPC channel, by size and kind of value: round
// trips of an answer holding n integers, n doubles or n small objects, as objects and as JSON
// text (best of two runs each). It sets nodeProcesses' budgets (adapters/node-process/src/wire.ts).
//   node bench/profiles/ipc-sizes.mjs
import { fork } from 'node:child_process';
if (process.argv[2] === 'child') {
  process.on('message', (m) => process.send(typeof m === 'string' ? JSON.stringify(JSON.parse(m)) : m));
} else {
  const child = fork(new URL(import.meta.url).pathname, ['child'], { serialization: 'advanced' });
  let resolve;
  child.on('message', (m) => resolve(typeof m === 'string' ? JSON.parse(m) : m));
  const trip = (m, text) => new Promise((r) => { resolve = r; child.send(text ? JSON.stringify(m) : m); });
  for (const [name, make] of [['integers', (n) => Array.from({ length: n }, (_, i) => i * 7)], ['doubles', (n) => Array.from({ length: n }, (_, i) => i / 3)], ['objects', (n) => Array.from({ length: n }, (_, i) => ({ a: i, b: 'x', c: [i] }))]]) {
    for (const n of [1000, 4000, 16000, 64000, 256000, 1000000]) {
      const m = { type: 'ok', id: 1, value: make(n) };
      const reps = Math.max(3, Math.round(100000 / n));
      const res = { false: [], true: [] };
      for (const text of [false, true, false, true]) {
        for (let i = 0; i < 3; i++) await trip(m, text);
        const t0 = performance.now();
        for (let i = 0; i < reps; i++) await trip(m, text);
        res[text].push(((performance.now() - t0) * 1000) / reps);
      }
      const best = (a) => Math.min(...a);
      console.log(name.padEnd(9), String(n).padStart(8), 'object', best(res.false).toFixed(0).padStart(8), 'µs   text', best(res.true).toFixed(0).padStart(8), 'µs', `${(best(res.true) / best(res.false)).toFixed(2)}×`);
    }
  }
  child.kill();
}
