import Tinypool from 'tinypool';

export async function load(_options, { tasksUrl }) {
  return (n) => {
    const pool = new Tinypool({ filename: tasksUrl.href, minThreads: n, maxThreads: n });
    return {
      call: (task, arg, transfer) => pool.run(arg, transfer ? { name: task, transferList: transfer } : { name: task }),
      transfer: true,
      close: () => pool.destroy(),
    };
  };
}
