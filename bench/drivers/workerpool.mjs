import { fileURLToPath } from 'node:url';
import workerpool from 'workerpool';

const script = fileURLToPath(new URL('../tasks/workerpool-worker.mjs', import.meta.url));

export async function load({ workerType }) {
  return (n) => {
    const pool = workerpool.pool(script, { minWorkers: n, maxWorkers: n, workerType });
    return { call: (task, arg) => pool.exec(task, [arg]), close: () => pool.terminate(true) };
  };
}
