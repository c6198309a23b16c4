// Raw worker_threads, no pool: 1 MiB arguments one per message, with k messages in flight per
// worker, or k arguments per message with one message in flight. CPU per MiB, main thread and
// the rest of the process (workers, GC helpers). `node profiles/copy-window.mjs [calls] [trials]`
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const calls = Number(process.argv[2] ?? 256);
const trials = Number(process.argv[3] ?? 3);
const mib = 1 << 20;
const source = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  let sum = 0;
  for (const b of m) for (let i = 0; i < b.length; i += 4096) sum += b[i];
  parentPort.postMessage(m.length);
});`;
const cpu = () => {
  let main = 0;
  let rest = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(f[11]) + Number(f[12])) * 10;
    if (tid === String(process.pid)) main += ms;
    else rest += ms;
  }
  return { main, rest };
};
const workers = [new Worker(source, { eval: true }), new Worker(source, { eval: true })];

/** `inFlight` messages per worker at most, `per` arguments per message. */
async function trial(inFlight, per) {
  const inputs = Array.from({ length: calls }, (_, i) => new Uint8Array(mib).fill(i & 255));
  let next = 0;
  let done = 0;
  const c0 = cpu();
  const s0 = sys0();
  const t0 = performance.now();
  await new Promise((resolve) => {
    const send = (w) => {
      if (next >= calls) return;
      w.postMessage(inputs.slice(next, next + per));
      next += per;
    };
    for (const w of workers) {
      w.on('message', (n) => {
        done += n;
        if (done >= calls) resolve();
        else send(w);
      });
      for (let k = 0; k < inFlight; k++) send(w);
    }
  });
  const ms = performance.now() - t0;
  const c1 = cpu();
  for (const w of workers) w.removeAllListeners('message');
  return { rate: calls / (ms / 1000), main: (c1.main - c0.main) / calls, rest: (c1.rest - c0.rest) / calls, system: (sys0() - s0) / calls };
}

const shapes = (process.env.SHAPES ?? '1x1,2x1,4x1,10x1,16x1,1x4,1x16').split(',').map((s) => s.split('x').map(Number));
const results = new Map(shapes.map((s) => [s.join(), []]));
const sys0 = () => process.cpuUsage().system / 1000;
for (let t = 0; t < trials; t++) for (const [k, per] of shapes) results.get(`${k},${per}`).push(await trial(k, per));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [key, rs] of results) {
  const [k, per] = key.split(',');
  console.log(`${k.padStart(2)} in flight × ${per.padStart(2)} per message: ${median(rs.map((r) => r.rate)).toFixed(0).padStart(4)} MiB/s; CPU per MiB: main ${median(rs.map((r) => r.main)).toFixed(2)} ms, workers+helpers ${median(rs.map((r) => r.rest)).toFixed(2)} ms, of all that in the kernel ${median(rs.map((r) => r.system)).toFixed(2)} ms`);
}
await Promise.all(workers.map((w) => w.terminate()));
