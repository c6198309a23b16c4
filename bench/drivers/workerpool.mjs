import { fileURLToPath } from 'node:url';
import workerpool from 'workerpool';

const script = (name) => fileURLToPath(new URL(`../tasks/${name}`, import.meta.url));

export async function load({ workerType }, { real }) {
  // Process mode speaks JSON over IPC: a Uint8Array would arrive as a plain object.
  if (real?.binary && workerType === 'process') throw new Error('process mode sends JSON: no binary arguments');
  return (n) => {
    const pool = workerpool.pool(script(real ? 'workerpool-real.mjs' : 'workerpool-worker.mjs'), { minWorkers: n, maxWorkers: n, workerType });
    return {
      call: (task, arg, transfer) => pool.exec(task, [arg], transfer ? { transfer } : undefined),
      transfer: workerType === 'thread',
      close: () => pool.terminate(true),
    };
  };
}
