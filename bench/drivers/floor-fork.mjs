// Floor: bare child_process.fork IPC ping-pong with serialization: 'advanced' (as nodeProcesses).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bareChannels, chunkedMap } from '../floors/dispatcher.mjs';

const entry = fileURLToPath(new URL('../floors/fork-child.mjs', import.meta.url));

export async function load() {
  return (n) => {
    const children = Array.from({ length: n }, () => fork(entry, [], { serialization: 'advanced' }));
    const call = bareChannels(children.map((c) => ({
      send: (m) => c.send(m),
      listen: (fn) => c.on('message', fn),
    })));
    return { call, map: chunkedMap(call, n), close: () => Promise.all(children.map((c) => new Promise((resolve) => { c.once('exit', resolve); c.kill(); }))) };
  };
}
