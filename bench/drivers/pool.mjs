// @pool itself, on any of its adapters: apply for single calls, map and imap where the peers lack them.
const adapters = {
  nodeWorkers: async () => (await import('@pool/node-worker')).nodeWorkers(),
  nodeProcesses: async () => (await import('@pool/node-process')).nodeProcesses(),
  denoWorkers: async () => (await import('@pool/deno')).denoWorkers(),
  bunWorkers: async () => (await import('@pool/bun')).bunWorkers(),
  inline: async () => (await import('@pool/core')).inline(),
};

export async function load({ adapter: name }, { tasksUrl }) {
  const { Pool } = await import('@pool/core');
  const adapter = await adapters[name]();
  return (n) => {
    const pool = new Pool({ adapter, module: tasksUrl, processes: n });
    return {
      call: (task, arg, transfer) => (transfer ? pool.apply(task, [arg], { transfer }) : pool.apply(task, [arg])),
      transfer: adapter.supports.transfer,
      map: (task, items) => pool.map(task, items),
      imap: (task, source, chunksize) => pool.imap(task, source, { chunksize }),
      close: () => pool.terminate(),
    };
  };
}

/** W8: a fixed-size pool that retires each worker after `maxTasksPerChild` tasks (or never). */
export async function recycling({ adapter: name }, { tasksUrl }) {
  const { Pool } = await import('@pool/core');
  const adapter = await adapters[name]();
  if (!adapter.supports.isolation) return undefined;
  return (n, maxTasksPerChild) => {
    const pool = new Pool({ adapter, module: tasksUrl, processes: n, maxTasksPerChild });
    let retired = 0;
    pool.addEventListener('workerexit', ({ detail }) => void (detail.reason === 'tasks' && retired++));
    return { call: (task, arg) => pool.apply(task, [arg]), retired: () => retired, close: () => pool.terminate() };
  };
}

/** W7: a dynamically sized pool with a bounded queue, as a service runs it. */
export async function server({ adapter: name }, { tasksUrl }) {
  const { Pool } = await import('@pool/core');
  const adapter = await adapters[name]();
  return ({ max, maxQueue, idleTimeout }) => {
    const pool = new Pool({ adapter, module: tasksUrl, minProcesses: 1, maxProcesses: max, idleTimeout, maxQueue });
    return { call: (task, arg) => pool.apply(task, [arg]), workers: () => pool.stats().workers, close: () => pool.terminate() };
  };
}
