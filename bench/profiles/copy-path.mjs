// Copy path profile (issue 14): N calls with a 1 MiB Uint8Array argument each, all at once, pool
// of 2, copied or transferred. `node profiles/copy-path.mjs <contestant> <copy|transfer> [calls]`
// prints one JSON line: calls/s; CPU ms per call (main thread, whole process, kernel); page faults
// and CPU per thread; and for @pool how the units went out (messages, batch sizes, held at most).
// The allocator's part shows with glibc's thresholds raised, so freed megabytes stay mapped:
//   MALLOC_TRIM_THRESHOLD_=268435456 MALLOC_MMAP_THRESHOLD_=268435456 node profiles/copy-path.mjs nodeWorkers copy 1024
// `nodeWorkers-nosab` runs without shared memory (answers one by one), `nodeWorkers-raw` uncounted.
import { readdirSync, readFileSync } from 'node:fs';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import { sample } from '../tasks/bytes.mjs';

const [who, how = 'copy', count = '256'] = process.argv.slice(2);
const calls = Number(count);
const url = new URL('../tasks/bytes.mjs', import.meta.url);
const mib = 1 << 20;
const make = (i) => {
  // Filled, so every page is touched before the clock starts (a fresh zeroed buffer would make
  // the serializer's reads fault in the zero page, 256 times a MiB, and bill that to the pool).
  return new Uint8Array(mib).fill(i & 255);
};
/** CPU ms of the main thread (Linux: /proc/self/task/<pid>/stat, utime + stime). */
const mainCpu = () => { const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
/** CPU ms per thread name (comm) of this process, from /proc/self/task. */
const threads = () => {
  const out = {};
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const key = tid === String(process.pid) ? 'main' : name;
      out[key] = (out[key] ?? 0) + (Number(f[11]) + Number(f[12])) * 10;
      out[`${key} faults`] = (out[`${key} faults`] ?? 0) + Number(f[7]) / 10;
    } catch {}
  }
  return out;
};
const messages = { task: 0, batch: 0, batchUnits: 0, maxBatch: 0, taskSendMs: 0, batchSendMs: 0, maxInFlight: 0 };

async function pool() {
  if (who === 'piscina' || who === 'tinypool') {
    const P = who === 'piscina' ? Piscina : Tinypool;
    const p = new P({ filename: url.href, minThreads: 2, maxThreads: 2 });
    return {
      call: (b) => p.run(b, { name: 'sample', ...(how === 'transfer' && { transferList: [b.buffer] }) }),
      close: () => p.destroy(),
    };
  }
  const { Pool } = await import('@pool/core');
  const { nodeWorkers } = await import('@pool/node-worker');
  const adapter = nodeWorkers();
  // Count what goes on the wire: wrap spawn() so every send is seen.
  if (who === 'nodeWorkers-nosab') adapter.supports = { ...adapter.supports, sharedMemory: false };
  const counted = { ...adapter, spawn: (events) => {
    let inFlight = 0;
    const handle = adapter.spawn({ ...events, message: (m) => {
      if (m.type === 'ok') inFlight--;
      if (m.type === 'values') inFlight -= m.ids.length;
      events.message(m);
    } });
    const send = handle.send.bind(handle);
    return { ...handle, send: (m, t) => {
      const t0 = performance.now();
      send(m, t);
      const ms = performance.now() - t0;
      if (m.type === 'task' || m.type === 'batch') messages.maxInFlight = Math.max(messages.maxInFlight, (inFlight += m.ids?.length ?? 1));
      if (m.type === 'task') messages.task++, messages.taskSendMs += ms;
      if (m.type === 'batch') messages.batch++, messages.batchUnits += m.ids.length, messages.maxBatch = Math.max(messages.maxBatch, m.ids.length), messages.batchSendMs += ms;
    }, terminate: () => handle.terminate(), ref: () => handle.ref?.(), unref: () => handle.unref?.() };
  } };
  const p = new Pool({ adapter: who === 'nodeWorkers-raw' ? adapter : counted, module: url, processes: 2 });
  return {
    call: (b) => how === 'transfer' ? p.apply('sample', [b], { transfer: [b.buffer] }) : p.apply('sample', [b]),
    close: () => p.terminate(),
  };
}

const p = await pool();
await Promise.all(Array.from({ length: 16 }, (_, i) => p.call(make(i))));
const inputs = Array.from({ length: calls }, (_, i) => make(i));
const expected = inputs.reduce((s, b) => s + sample(b), 0);
const faults = () => Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[7]);
const ctx = () => readdirSync('/proc/self/task').reduce((n, tid) => { try { const st = readFileSync(`/proc/self/task/${tid}/status`, 'utf8'); return n + Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(st)[1]); } catch { return n; } }, 0);
const f0 = faults();
const x0 = ctx();
const c0 = mainCpu();
const th0 = threads();
const u0 = process.cpuUsage();
const t0 = performance.now();
const got = await Promise.all(inputs.map((b) => p.call(b)));
const ms = performance.now() - t0;
const u = process.cpuUsage(u0);
const th1 = threads();
const perThread = Object.fromEntries(Object.entries(th1).map(([k, v]) => [k, +((v - (th0[k] ?? 0)) / calls).toFixed(2)]).filter(([, v]) => v > 0));
const cpu = { faultsPerCall: Math.round((faults() - f0) / calls), switchesPerCall: +((ctx() - x0) / calls).toFixed(1), perThread, mainMsPerCall: +((mainCpu() - c0) / calls).toFixed(3), processMsPerCall: +((u.user + u.system) / 1000 / calls).toFixed(3), systemMsPerCall: +(u.system / 1000 / calls).toFixed(3) };
if (got.reduce((a, b) => a + b, 0) !== expected) throw new Error('wrong sum');
await p.close();
console.log(JSON.stringify({ who, how, calls, callsPerSec: Math.round(calls / (ms / 1000)), ms: Math.round(ms), ...cpu, ...(messages.task + messages.batch > 0 && { messages: { ...messages, msPerUnitAlone: +(messages.taskSendMs / messages.task).toFixed(3), msPerUnitInBatch: +(messages.batchSendMs / Math.max(1, messages.batchUnits)).toFixed(3), taskSendMs: Math.round(messages.taskSendMs), batchSendMs: Math.round(messages.batchSendMs) } }) }));
