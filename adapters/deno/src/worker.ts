/**
 * The Deno worker entry: core's locked worker loop over `self` (see `superviseWebWorker`).
 * @module
 */
import { fullCollector, runLockedWorker, type UnitStore, type WebWorkerScope } from '@pool/core/worker';

declare const self: WebWorkerScope;
declare const Deno: { memoryUsage(): { heapUsed: number }; exit(code?: number): never };
declare const process: { getBuiltinModule(id: string): unknown };

/**
 * Deno ends a worker that calls `Deno.exit()`, `process.exit()` or `close()` only once the code
 * running has finished: a task module that exits while loading still finishes loading, the pool
 * hears "ready", the worker dies after, and the next one does the same, never counted as a
 * failure to start. Until the pool has heard "ready", such an exit throws instead: the module
 * fails to load, and the pool breaks with that error (`BrokenPoolError`).
 */
let started = false;
function whileStarting<A extends unknown[]>(exit: (...args: A) => unknown, name: string): (...args: A) => never {
  return (...args) => {
    if (!started) throw new Error(`The task module called ${name}(${args.join(', ')}) while the worker was starting: it cannot start`);
    exit(...args);
    throw new Error('unreachable: the worker has exited');
  };
}
Deno.exit = whileStarting(Deno.exit.bind(Deno), 'Deno.exit');
const close = self.close.bind(self);
const scope: WebWorkerScope = {
  name: self.name,
  postMessage(message, transfer) {
    if ((message as { type?: unknown } | null)?.type === 'ready') {
      started = true;
      // From here on, messages go as they are: no check per message.
      scope.postMessage = (next, moved) => self.postMessage(next, moved);
    }
    self.postMessage(message, transfer);
  },
  get onmessage() {
    return self.onmessage;
  },
  set onmessage(listener) {
    self.onmessage = listener;
  },
  close,
};
self.close = whileStarting(close, 'close');
// `process` is Deno's Node layer, ~60 ms to load in a worker: its exit is guarded once something reads it.
const lazyProcess = Object.getOwnPropertyDescriptor(globalThis, 'process');
if (lazyProcess?.get && lazyProcess.configurable) {
  let guarded = false;
  Object.defineProperty(globalThis, 'process', {
    ...lazyProcess,
    get() {
      const node = lazyProcess.get!.call(globalThis) as { exit(code?: number): never };
      if (!guarded) {
        guarded = true;
        node.exit = whileStarting(node.exit.bind(node), 'process.exit');
      }
      return node;
    },
  });
}

runLockedWorker(scope, {
  // Deno.memoryUsage().heapUsed is this worker's own isolate.
  memory: () => Deno.memoryUsage().heapUsed,
  // Deno's Node layer loads at a task's first progress() or signal() (~10 ms, once), or at the
  // first heap read over `maxMemoryPerChild`, not with every worker.
  collectGarbage: fullCollector((id) => process.getBuiltinModule(id)),
  unitStore: () => {
    const { AsyncLocalStorage } = process.getBuiltinModule('node:async_hooks') as { AsyncLocalStorage: new () => UnitStore };
    return new AsyncLocalStorage();
  },
});
