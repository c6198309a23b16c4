// The browser half of `npm run bench`'s web section: the contestants as pools of the same shape as
// harness/main.mjs's ({ call, close }), and W1, W2, W3, W5 measured in this page. run.mjs opens
// a fresh page for every measurement and calls runBench(id, workload, sizes).
import { Pool } from '@pool/core';
import { webWorkers } from '@pool/web';
import { FixedThreadPool } from 'poolifier-web-worker';
import '../../node_modules/workerpool/dist/workerpool.js'; // UMD: sets globalThis.workerpool
import { bareChannels } from '../floors/dispatcher.mjs';
import { fib } from '../tasks/tasks.mjs';

const here = (path) => new URL(path, import.meta.url);

const factories = {
  /** The floor: bare module Workers, postMessage ping-pong, nothing else. */
  floor: (n) => {
    const workers = Array.from({ length: n }, () => new Worker(here('../floors/web-worker.mjs'), { type: 'module' }));
    const call = bareChannels(workers.map((w) => ({ send: (m) => w.postMessage(m), listen: (fn) => (w.onmessage = (e) => fn(e.data)) })));
    return { call, close: async () => workers.forEach((w) => w.terminate()) };
  },
  webWorkers: (n) => {
    const pool = new Pool({ adapter: webWorkers(), module: here('../tasks/tasks.mjs'), processes: n });
    return { call: (task, arg) => pool.apply(task, [arg]), close: () => pool.terminate() };
  },
  workerpool: (n) => {
    const pool = globalThis.workerpool.pool(here('./workerpool-worker.mjs').href, {
      minWorkers: n, maxWorkers: n, workerType: 'web', workerOpts: { type: 'module' },
    });
    return { call: (task, arg) => pool.exec(task, [arg]), close: () => pool.terminate(true) };
  },
  poolifier: (n) => {
    const pool = new FixedThreadPool(n, here('./poolifier-worker.mjs'), { errorEventHandler: (e) => console.error(e) });
    return { call: (task, arg) => pool.execute(arg, task), close: () => pool.destroy() };
  },
};

const now = () => performance.now();
function check(ok, what) {
  if (!ok) throw new Error(`wrong result (${what})`);
}

/** Workers started, code paths compiled: steady state is what W1–W3 measure. */
async function warm(pool) {
  const got = await Promise.all(Array.from({ length: 100 }, (_, i) => pool.call('inc', i)));
  check(got[99] === 100, 'warm-up');
  await Promise.all(Array.from({ length: 4 }, () => pool.call('fib', 20)));
}

const workloads = {
  async W1(factory, sizes) {
    const pool = factory(sizes.processes);
    await warm(pool);
    const t0 = now();
    const pending = new Array(sizes.w1Tasks);
    for (let i = 0; i < sizes.w1Tasks; i++) pending[i] = pool.call('inc', i);
    const values = await Promise.all(pending);
    const seconds = (now() - t0) / 1000;
    check(values[sizes.w1Tasks - 1] === sizes.w1Tasks, 'W1');
    await pool.close();
    return { value: sizes.w1Tasks / seconds, unit: 'tasks/s' };
  },
  async W2(factory, sizes) {
    const pool = factory(sizes.processes);
    await warm(pool);
    const t0 = now();
    for (let i = 0; i < sizes.w2Calls; i++) await pool.call('noop', i);
    const us = ((now() - t0) * 1000) / sizes.w2Calls;
    await pool.close();
    return { value: us, unit: 'µs/call' };
  },
  async W3(factory, sizes) {
    const pool = factory(sizes.processes);
    await warm(pool);
    const t0 = now();
    const values = await Promise.all(Array.from({ length: sizes.w3Tasks }, () => pool.call('fib', sizes.w3N)));
    const parallel = now() - t0;
    await pool.close();
    for (let i = 0; i < 4; i++) fib(20);
    const t1 = now();
    let serial = 0;
    for (let i = 0; i < sizes.w3Tasks; i++) serial += fib(sizes.w3N);
    const serialMs = now() - t1;
    check(values.reduce((a, b) => a + b, 0) === serial, 'W3');
    return { value: serialMs / parallel, unit: '×', serialMs, parallelMs: parallel };
  },
  async W5(factory) {
    const t0 = now();
    const pool = factory(2);
    const value = await pool.call('inc', 1);
    const ms = now() - t0;
    check(value === 2, 'W5');
    await pool.close();
    return { value: ms, unit: 'ms' };
  },
};

/** One measurement: `{ value, unit, … }`, or `{ error }`. */
globalThis.runBench = async (id, workload, sizes) => {
  try {
    return await workloads[workload](factories[id], sizes);
  } catch (error) {
    return { error: String(error?.message ?? error).slice(0, 200) };
  }
};
globalThis.benchReady = true;
