// Floor: bare worker_threads postMessage ping-pong.
import { Worker } from 'node:worker_threads';
import { bareChannels, chunkedMap } from '../floors/dispatcher.mjs';

const entry = new URL('../floors/thread-worker.mjs', import.meta.url);

export async function load(options = {}) {
  return (n) => {
    const workers = Array.from({ length: n }, () => new Worker(entry));
    const call = bareChannels(workers.map((w) => ({
      send: (m) => w.postMessage(m),
      listen: (fn) => w.on('message', fn),
    })), options);
    return { call, map: chunkedMap(call, n), close: () => Promise.all(workers.map((w) => w.terminate())) };
  };
}
