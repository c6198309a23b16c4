import { Piscina } from 'piscina';

export async function load(_options, { tasksUrl }) {
  return (n) => {
    const pool = new Piscina({ filename: tasksUrl.href, minThreads: n, maxThreads: n });
    return { call: (task, arg) => pool.run(arg, { name: task }), close: () => pool.destroy() };
  };
}
