// Floor: bare Web Worker ping-pong (Deno, Bun).
import { bareChannels, chunkedMap } from '../floors/dispatcher.mjs';

const entry = new URL('../floors/web-worker.mjs', import.meta.url);

export async function load() {
  return (n) => {
    const workers = Array.from({ length: n }, () => new Worker(entry, { type: 'module' }));
    const call = bareChannels(workers.map((w) => ({
      send: (m) => w.postMessage(m),
      listen: (fn) => (w.onmessage = (event) => fn(event.data)),
    })));
    return { call, map: chunkedMap(call, n), close: async () => workers.forEach((w) => w.terminate()) };
  };
}
