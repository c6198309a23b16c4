import Tinypool from 'tinypool';

export async function load(_options, { tasksUrl }) {
  return (n) => {
    const pool = new Tinypool({ filename: tasksUrl.href, minThreads: n, maxThreads: n });
    return { call: (task, arg) => pool.run(arg, { name: task }), close: () => pool.destroy() };
  };
}
