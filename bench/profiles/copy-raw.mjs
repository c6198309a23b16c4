// Raw worker_threads, no pool: the cost of posting 1 MiB arguments one per message or several per
// message, host-side postMessage time and end-to-end rate. `node profiles/copy-raw.mjs [calls] [trials]`
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** CPU ms of the main thread (Linux: /proc/self/task/<pid>/stat, utime + stime). */
const mainCpu = () => { const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').slice(-400).split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };

const calls = Number(process.argv[2] ?? 256);
const trials = Number(process.argv[3] ?? 5);
const mib = 1 << 20;
const source = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  const list = m.batch ?? [m.arg];
  const out = [];
  for (const b of list) out.push(b[0]);
  parentPort.postMessage(out);
});`;
const workers = [new Worker(source, { eval: true }), new Worker(source, { eval: true })];

async function trial(per) {
  const inputs = Array.from({ length: calls }, (_, i) => { const b = new Uint8Array(mib); b.fill(i & 255); return b; });
  let posting = 0;
  let answered = 0;
  const t0 = performance.now();
  const c0 = mainCpu();
  const u0 = process.cpuUsage();
  await new Promise((resolve) => {
    const onMessage = (out) => { answered += out.length; if (answered === calls) resolve(); };
    for (const w of workers) w.on('message', onMessage);
    for (let i = 0; i < calls; i += per) {
      const w = workers[(i / per) % 2];
      const p0 = performance.now();
      if (per === 1) w.postMessage({ arg: inputs[i] });
      else w.postMessage({ batch: inputs.slice(i, i + per) });
      posting += performance.now() - p0;
    }
    resolve.cleanup = () => workers.forEach((w) => w.off('message', onMessage));
  });
  for (const w of workers) w.removeAllListeners('message');
  const ms = performance.now() - t0;
  const u = process.cpuUsage(u0);
  return { per, rate: calls / (ms / 1000), postMsPerMiB: posting / calls, mainCpu: (mainCpu() - c0) / calls, allCpu: (u.user + u.system) / 1000 / calls };
}

const results = {};
for (let t = 0; t < trials; t++) {
  for (const per of [1, 4, 16]) (results[per] ??= []).push(await trial(per));
}
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
for (const [per, rs] of Object.entries(results)) {
  console.log(`per message ${String(per).padStart(2)}: ${median(rs.map((r) => r.rate)).toFixed(0)} MiB/s end to end, postMessage ${median(rs.map((r) => r.postMsPerMiB)).toFixed(3)} ms per MiB, CPU per MiB: main thread ${median(rs.map((r) => r.mainCpu)).toFixed(2)} ms, process ${median(rs.map((r) => r.allCpu)).toFixed(2)} ms (median of ${rs.length})`);
}
await Promise.all(workers.map((w) => w.terminate()));
