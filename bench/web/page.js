// The browser half of `npm run bench`'s web section: the contestants as pools of the same shape as
// harness/main.mjs's ({ call, close }), and W1, W2, W3, W5 measured in this page. run.mjs opens
// a fresh page for every measurement and calls runBench(id, workload, sizes).
import { Pool } from '@pool/core';
import { webWorkers } from '@pool/web';
import { FixedThreadPool } from 'poolifier-web-worker';
import '../../node_modules/workerpool/dist/workerpool.js'; // UMD: sets globalThis.workerpool
import { bareChannels } from '../floors/dispatcher.mjs';
import { micro } from '../lib/micro.mjs';

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

/** One measurement: `{ value, unit, … }`, or `{ error }`. */
globalThis.runBench = async (id, workload, sizes) => {
  try {
    return await micro[workload](factories[id], sizes);
  } catch (error) {
    return { error: String(error?.message ?? error).slice(0, 200) };
  }
};
globalThis.benchReady = true;
