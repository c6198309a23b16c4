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
