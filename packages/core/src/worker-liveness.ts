/**
 * The worker side of `liveness.ts`: take this worker's life lock, tell the pool, and start core's
 * worker loop only once the pool watches the lock.
 * @module
 */
import type { UnitStore } from './adapter.js';
import type { ToWorker } from './protocol.js';
import { runWorker } from './worker-loop.js';

/** Worker → pool: "I hold my lock"; the pool may now watch it. */
export const lifeLockHolding = '@pool/core:holding';
/** Pool → worker: "I am watching"; the worker may now run user code, which may kill it. */
export const lifeLockAck = '@pool/core:ack';

/** The part of a web worker's global scope (`self`) that `runLockedWorker` uses. */
export interface WebWorkerScope {
  readonly name: string;
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

declare const navigator: { locks: { request(name: string, callback: () => Promise<never>): Promise<unknown> } };

/**
 * The whole entry of a web-style worker (Deno, browsers): holds the lock named `scope.name`
 * until the worker ends, and runs `runWorker()` over `scope` once the pool watches that lock.
 * `memory`, where the runtime can measure this worker's heap, enables `maxMemoryPerChild`
 * (`collectGarbage`, where it can collect on demand, keeps garbage from counting);
 * `exit`, how the loop ends the worker when the pool retires it (`scope.close()` if not given);
 * `unitStore`, the runtime's `AsyncLocalStorage` where it has one (see `WorkerPort.unitStore`).
 */
export function runLockedWorker(
  scope: WebWorkerScope,
  options: { memory?: () => number; collectGarbage?: () => void; exit?: () => void; unitStore?: () => UnitStore } = {},
): void {
  // Messages that arrive before the pool watches our lock wait here: until then, user code must
  // not run, since a death it causes would go unnoticed.
  const early: ToWorker[] = [];
  let deliver: ((message: ToWorker) => void) | null = null;

  scope.onmessage = ({ data }) => {
    if (deliver) return deliver(data as ToWorker);
    if (data !== lifeLockAck) return void early.push(data as ToWorker);
    runWorker({
      // `undefined` when nothing moves (most messages): no empty transfer list is made for them.
      send: (message, transfer) => scope.postMessage(message, transfer),
      listen: (listener) => {
        deliver = listener;
      },
      exit: options.exit ?? (() => scope.close()),
      ...(options.memory && { memory: options.memory }),
      ...(options.collectGarbage && { collectGarbage: options.collectGarbage }),
      ...(options.unitStore && { unitStore: options.unitStore }),
    });
    for (const message of early.splice(0)) deliver!(message);
  };

  // Held until this worker ends; the runtime releases it however the worker ends.
  void navigator.locks.request(scope.name, () => {
    scope.postMessage(lifeLockHolding);
    return new Promise<never>(() => {});
  });
}
