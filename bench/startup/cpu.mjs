// W5's worker side in CPU time, which a loaded machine inflates far less than wall time: the CPU
// the first answering worker's own thread (a child's main thread for nodeProcesses) spent from its
// start to its first answer, read from Linux's /proc/thread-self/schedstat by the task itself.
// Interleaves the bare floor, this tree's pool and, with BENCH_BEFORE=<checkout>, that tree's
// pool (2 workers each, fresh each round; round 0 only warms the host and is dropped):
//   node startup/cpu.mjs <rounds> thread|fork      bun startup/cpu.mjs <rounds> web
//   deno run -A startup/cpu.mjs <rounds> web
// BENCH_VARIANTS='{"name":{adapter options},…}' runs this tree's pool once per variant instead of once
// with the adapter's defaults, e.g. '{"now":{},"unwatched":{"watchParent":false}}'.
import { cpu } from './probe.mjs';
const args = globalThis.Deno ? Deno.args : process.argv.slice(2);
const env = (name) => (globalThis.Deno ? Deno.env.get(name) : process.env[name]);
const [rounds, kind] = [+args[0], args[1]];
const adapterDir = { thread: 'node-worker', fork: 'node-process', web: globalThis.Deno ? 'deno' : 'bun' }[kind];
const factory = { thread: 'nodeWorkers', fork: 'nodeProcesses', web: globalThis.Deno ? 'denoWorkers' : 'bunWorkers' }[kind];
const probe = new URL('./probe.mjs', import.meta.url).href;
const here = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const roots = { now: here, ...(env('BENCH_BEFORE') && { before: env('BENCH_BEFORE') }) };
const pools = {};
const variants = env('BENCH_VARIANTS') ? JSON.parse(env('BENCH_VARIANTS')) : { now: {} };
const contestants = Object.entries(roots).flatMap(([k, root]) =>
  k === 'now' ? Object.entries(variants).map(([name, options]) => [name, root, options]) : [[k, root, {}]]);
for (const [k, root, options] of contestants) {
  const { Pool } = await import(`${root}/packages/core/dist/index.js`);
  const mod = await import(`${root}/adapters/${adapterDir}/dist/index.js`);
  const adapter = mod[factory](options);
  pools[k] = async () => {
    const h0 = cpu(); const t0 = performance.now();
    const pool = new Pool({ adapter, module: probe, processes: 2 });
    const [v, w] = await pool.apply('inc', [1]);
    const wall = performance.now() - t0; const host = cpu() - h0;
    await pool.terminate();
    return { wall, worker: w, host };
  };
}
let floorRun;
if (kind === 'thread') {
  const { Worker } = await import('node:worker_threads');
  floorRun = async () => {
    const h0 = cpu(); const t0 = performance.now();
    const ws = [0, 1].map(() => new Worker(new URL('./floor-thread.mjs', import.meta.url)));
    const [v, w] = await new Promise((ok) => { ws.forEach((x) => { x.once('message', ok); x.postMessage(1); }); });
    const r = { wall: performance.now() - t0, worker: w, host: cpu() - h0 };
    await Promise.all(ws.map((x) => x.terminate()));
    return r;
  };
} else if (kind === 'fork') {
  const { fork } = await import('node:child_process');
  floorRun = async () => {
    const h0 = cpu(); const t0 = performance.now();
    const cs = [0, 1].map(() => fork(new URL('./floor-fork.mjs', import.meta.url), [], { serialization: 'advanced' }));
    const [v, w] = await new Promise((ok) => { cs.forEach((x) => { x.once('message', ok); x.send(1); }); });
    const r = { wall: performance.now() - t0, worker: w, host: cpu() - h0 };
    cs.forEach((x) => x.kill());
    return r;
  };
} else {
  floorRun = async () => {
    const h0 = cpu(); const t0 = performance.now();
    const ws = [0, 1].map(() => new Worker(new URL('./floor-web.mjs', import.meta.url), { type: 'module' }));
    const [v, w] = await new Promise((ok) => { ws.forEach((x) => { x.onmessage = (e) => ok(e.data); x.postMessage(1); }); });
    const r = { wall: performance.now() - t0, worker: w, host: cpu() - h0 };
    ws.forEach((x) => x.terminate());
    return r;
  };
}
const runs = { floor: floorRun, ...pools };
const res = {};
const order = Object.keys(runs);
for (let r = 0; r < rounds; r++) for (const k of (r % 2 ? order.slice().reverse() : order)) {
  const x = await runs[k]();
  if (r === 0) continue; // first round warms the host side
  for (const [m, v] of Object.entries(x)) ((res[k] ??= {})[m] ??= []).push(v);
}
const med = (a) => { const s = a.slice().sort((x, y) => x - y); return s[s.length >> 1]; };
console.log(`${kind} on ${globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : 'node'}, ${rounds - 1} rounds, medians (ms)`);
for (const k of order) console.log(k.padEnd(6), Object.entries(res[k]).map(([m, v]) => `${m} ${med(v).toFixed(2)}`).join('  |  '));
