import { Piscina } from 'piscina';

export async function load(_options, { tasksUrl }) {
  return (n) => {
    const pool = new Piscina({ filename: tasksUrl.href, minThreads: n, maxThreads: n });
    return {
      call: (task, arg, transfer) => pool.run(arg, transfer ? { name: task, transferList: transfer } : { name: task }),
      transfer: true,
      close: () => pool.destroy(),
    };
  };
}

/** W7: piscina sized between minThreads and maxThreads, with its own maxQueue. */
export async function server(_options, { tasksUrl }) {
  return ({ max, maxQueue, idleTimeout }) => {
    const pool = new Piscina({ filename: tasksUrl.href, minThreads: 1, maxThreads: max, maxQueue, idleTimeout });
    return { call: (task, arg) => pool.run(arg, { name: task }), workers: () => pool.threads.length, close: () => pool.destroy() };
  };
}
