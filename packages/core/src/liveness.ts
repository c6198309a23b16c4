/**
 * Noticing the death of a web-style worker (Deno, browsers), which has no exit event: a worker
 * that calls `close()`, is terminated, or is ended by the runtime just goes quiet. So each worker
 * holds a Web Lock named after it for its whole life, and the pool's side queues a request for
 * the same lock: the request is granted exactly when the worker is gone, however it went.
 *
 * The pool side is {@link superviseWebWorker}; the worker side is `runLockedWorker()` from
 * `@pool/core/worker`. Before core's protocol starts they exchange two strings of their own.
 * @module
 */
import type { WorkerEvents, WorkerExit, WorkerHandle } from './adapter.js';
import type { FromWorker } from './protocol.js';
import { lifeLockAck, lifeLockHolding } from './worker-liveness.js';

/** Prefix of each worker's lock name, which is also the worker's `name`. */
export const lifeLockPrefix = '@pool/life:';

/** The part of a Web `Worker` (Deno's, a browser's) the pool side uses. */
export interface WebWorkerLike {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { error?: unknown; message?: string; preventDefault(): void }) => void) | null;
}

interface LockManager {
  request(name: string, options: { signal: unknown }, callback: () => void): Promise<unknown>;
}
declare const navigator: { locks?: LockManager } | undefined;
declare const crypto: { randomUUID?(): string; getRandomValues(array: Uint8Array): Uint8Array };
declare class AbortController {
  readonly signal: unknown;
  abort(): void;
}

/** A fresh lock name for a worker: pass it as the worker's `name`, and to {@link superviseWebWorker}. */
export function lifeLockName(): string {
  // randomUUID() exists in secure contexts only: a page that is not one must reach the Web Locks
  // check below, whose error says what to do, rather than fail on the name.
  const id = typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${lifeLockPrefix}${id}`;
}

/**
 * Binds a web worker started with `name: lock` (whose entry calls `runLockedWorker()`) to the
 * pool's events, and returns its handle. `exit` is reported once: when the worker's lock is
 * released, when it fails before taking it, or at once on `terminate()`.
 * @throws Error where the runtime has no Web Locks (browsers: pages that are not a secure context).
 */
export function superviseWebWorker(worker: WebWorkerLike, lock: string, events: WorkerEvents): WorkerHandle {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) {
    worker.terminate();
    throw new Error('Web Locks are not available (navigator.locks): the pool needs them to notice a worker\'s death; in a browser, serve the page from https or localhost; outside one, use the runtime\'s own adapter');
  }
  const watch = new AbortController();
  let watching = false;
  let alive = true;
  let uncaught: unknown;

  const exit = (): void => {
    if (!alive) return;
    alive = false;
    watch.abort();
    worker.terminate();
    const how: WorkerExit = { exitCode: null, signal: null, ...(uncaught !== undefined && { error: uncaught }) };
    events.exit(how);
  };

  worker.onmessage = ({ data }) => {
    if (!alive) return;
    if (data === lifeLockHolding) {
      // The worker holds its lock: queue behind it; the grant means the worker is gone.
      watching = true;
      locks.request(lock, { signal: watch.signal }, exit).catch(() => {});
      worker.postMessage(lifeLockAck);
      return;
    }
    events.message(data as FromWorker);
  };
  worker.onerror = (event) => {
    // The runtime ends a worker on an uncaught error; preventDefault keeps it from ending the host too.
    event.preventDefault();
    uncaught ??= event.error ?? new Error(event.message ?? 'The worker failed');
    // Before the handshake no lock is watched, so this is the only sign of death.
    if (!watching) exit();
    else worker.terminate();
  };

  return {
    send: (message, transfer) => {
      // `undefined` when nothing moves (most messages): no empty transfer list is made for them.
      if (alive) worker.postMessage(message, transfer);
    },
    terminate: () => {
      // Reported now, not on the lock: a runtime may be unable to stop a worker spinning in a
      // sync loop, whose lock would never come back. Its messages are dropped from here on.
      exit();
      return Promise.resolve();
    },
  };
}
