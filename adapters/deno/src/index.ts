/**
 * @pool/deno — runs @pool/core's workers as Deno Web Workers (`type: 'module'`).
 *
 * Deno's `Worker` reports no exit: a worker that calls `Deno.exit()` or `self.close()`, or is
 * ended by the runtime, just goes quiet. So each worker holds a Web Lock named after it for its
 * whole life, and the pool's side queues a request for the same lock: the request is granted
 * exactly when the worker is gone, however it went.
 * @module
 */
import type { Adapter, FromWorker, WorkerExit, WorkerHandle } from '@pool/core';
import { ACK, HOLDING, LOCK_PREFIX } from './handshake.js';

/** One permission of a worker: inherit the parent's, none, all, or only the listed targets. */
export type DenoPermission = 'inherit' | boolean | readonly (string | { readonly href: string })[];

/**
 * The Deno permissions of each worker, as Deno's `WorkerOptions.deno.permissions`: `'inherit'`
 * (the parent's), `'none'`, or one entry per permission (an omitted one is `'inherit'`).
 */
export type DenoWorkerPermissions =
  | 'inherit'
  | 'none'
  | {
      env?: DenoPermission;
      ffi?: DenoPermission;
      import?: DenoPermission;
      net?: DenoPermission;
      read?: DenoPermission;
      run?: DenoPermission;
      sys?: DenoPermission;
      write?: DenoPermission;
    };

/** Options of {@link denoWorkers}. */
export interface DenoWorkersOptions {
  /**
   * The workers' permissions. Deno accepts this option only when the host runs with
   * `--unstable-worker-options` (else Deno itself exits with code 70). A worker needs `read`
   * access to the task module it imports.
   * @default 'inherit': the parent's
   */
  permissions?: DenoWorkerPermissions;
}

// The few host globals this file uses, declared here so they stay out of the public .d.ts.
interface DenoWorker {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { error?: unknown; message: string; preventDefault(): void }) => void) | null;
}
declare const Worker: new (url: URL, options: Record<string, unknown>) => DenoWorker;
declare const Deno: { cwd(): string };
declare const navigator: {
  hardwareConcurrency?: number;
  locks: { request(name: string, options: { signal: unknown }, callback: () => void): Promise<void> };
};
declare const crypto: { randomUUID(): string };
declare class URL {
  constructor(url: string, base?: string);
}
declare class AbortController {
  readonly signal: unknown;
  abort(): void;
}

// Built, this file is dist/index.js next to dist/worker.js; run from source (JSR, the
// monorepo), it is src/index.ts next to src/worker.ts.
const workerEntry = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

/**
 * An adapter that runs each pool worker in a Deno Web Worker.
 * A per-call `transfer` list moves ArrayBuffers and MessagePorts instead of copying them.
 * Deno offers no way to unreference a worker: a pool keeps the process alive until it is
 * terminated (or closed and joined), so end it with `terminate()` or `await using`.
 */
export function denoWorkers(options: DenoWorkersOptions = {}): Adapter {
  const { permissions } = options;
  return {
    name: 'deno',
    clones: true,
    sharesMemory: true,
    isolated: true,
    defaultProcesses: () => navigator.hardwareConcurrency ?? 4,
    cwd: () => Deno.cwd(),
    spawn(events): WorkerHandle {
      const lock = `${LOCK_PREFIX}${crypto.randomUUID()}`;
      const worker = new Worker(workerEntry, {
        type: 'module',
        name: lock,
        // Only when asked: without --unstable-worker-options, Deno exits on this option.
        ...(permissions !== undefined && { deno: { permissions } }),
      });
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
        if (data === HOLDING) {
          // The worker holds its lock: queue behind it; the grant means the worker is gone.
          watching = true;
          navigator.locks.request(lock, { signal: watch.signal }, exit).catch(() => {});
          worker.postMessage(ACK);
          return;
        }
        events.message(data as FromWorker);
      };
      worker.onerror = (event) => {
        // Deno ends a worker on an uncaught error; preventDefault keeps it from ending the host too.
        event.preventDefault();
        uncaught ??= event.error ?? new Error(event.message);
        // Before the handshake no lock is watched, so this is the only sign of death.
        if (!watching) exit();
        else worker.terminate();
      };

      return {
        send: (message, transfer) => {
          if (alive) worker.postMessage(message, transfer ?? []);
        },
        terminate: () => {
          // Reported now, not on the lock: Deno cannot stop a worker spinning in a sync loop,
          // whose lock would never come back. Its messages are dropped from here on.
          exit();
          return Promise.resolve();
        },
      };
    },
  };
}
