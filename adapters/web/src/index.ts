/**
 * @pool/web — runs @pool/core's workers as browser Web Workers (`type: 'module'`).
 *
 * A dedicated worker reports no exit: one that calls `close()`, or is ended by the browser, just
 * goes quiet. Core's liveness helper (`superviseWebWorker`) notices such deaths through a Web
 * Lock each worker holds for its whole life, so the page must be a secure context.
 * @module
 */
import { adapterOptions, lifeLockName, superviseWebWorker, type Adapter, type WebWorkerLike, type WorkerHandle } from '@pool/core';
import { closing, leftover } from './closing.js';

/** Options of {@link webWorkers}. */
export interface WebWorkersOptions {
  /**
   * The worker entry, if not this package's own `worker.js` (e.g. where a bundler or a CDN puts
   * it). It must run `runLockedWorker(self)` from `@pool/core/worker`, bundled.
   */
  workerUrl?: string | URL;
  /** Shown in the browser's developer tools, after the worker's lock name. */
  name?: string;
  /** Credentials for fetching the worker's modules: `'same-origin'` (the browser's default), `'omit'` or `'include'`. */
  credentials?: 'omit' | 'same-origin' | 'include';
}

// The few host globals this file uses, declared here so they stay out of the public .d.ts.
declare const Worker: new (url: string | URL, options: { type: 'module'; name: string; credentials?: string }) => WebWorkerLike;
declare const navigator: {
  hardwareConcurrency?: number;
  locks: { request(name: string, options: { steal: true }, callback: () => void): Promise<unknown> };
};
declare const location: { href: string; origin: string } | undefined;
declare const document: { baseURI: string } | undefined;

// The literal form bundlers (Vite, esbuild, webpack) recognise: worker.js sits next to this
// file, built (dist/) or copied as an asset.
const ownEntry = new URL('./worker.js', import.meta.url);

/** One `blob:` module per cross-origin entry, kept for the page's life (a few bytes). */
const trampolines = new Map<string, string>();

/**
 * A worker must come from the page's origin. An entry elsewhere (this package on a CDN) is
 * started through a same-origin `blob:` module that imports it.
 */
function entryFor(url: URL): string | URL {
  if (typeof location === 'undefined' || url.origin === location.origin || url.origin === 'null') return url;
  let trampoline = trampolines.get(url.href);
  if (!trampoline) {
    trampoline = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));
    trampolines.set(url.href, trampoline);
  }
  return trampoline;
}

/** The page's base URL (a worker's own URL, in a worker), which relative `module` strings resolve against. */
function pageBase(): string {
  return typeof document !== 'undefined' ? document.baseURI : location!.href;
}

/**
 * The worker as core's supervisor sees it, less one message, and with its entry named where the
 * browser could not load it. A worker that says it closed itself (see worker.ts) waits, blocked,
 * for its end. A browser takes up to 2 s to end a blocked worker and release its lock, so its
 * lock is taken from it now (`steal`): the supervisor's request, queued behind, is granted at
 * once, and that is the exit.
 */
function asSupervised(worker: WebWorkerLike, lock: string, entry: string | URL, unattributed: () => void): WebWorkerLike {
  const onClosing = (): void => {
    worker.terminate();
    navigator.locks.request(lock, { steal: true }, () => {}).catch(() => {});
  };
  let onError: WebWorkerLike['onerror'] = null;
  // An unhandled rejection, reported by the worker (see worker.ts): its death, with the reason as
  // the error, is no unit's in particular.
  const onLeftover = (reason: unknown): void => {
    unattributed();
    onError?.({ error: reason, preventDefault: () => {} });
    onClosing();
  };
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    terminate: () => worker.terminate(),
    get onmessage() {
      return worker.onmessage;
    },
    set onmessage(listener) {
      worker.onmessage = listener && ((event) => {
        const { data } = event;
        if (data === closing) onClosing();
        else if ((data as { type?: unknown } | null)?.type === leftover) onLeftover((data as { reason: unknown }).reason);
        else listener(event);
      });
    },
    get onerror() {
      return worker.onerror;
    },
    set onerror(listener) {
      onError = listener;
      // An error event with neither error nor message: the browser could not load the entry (a
      // 404, not JavaScript, an import of it failing), and says no more. This adapter can say which.
      worker.onerror = listener && ((event) => listener(event.error !== undefined || event.message ? event : {
        error: new Error(`The worker entry ${String(entry)} could not be loaded (not found, not JavaScript, or one of its imports failed); where a bundler moved @pool/web's worker.js, give its URL as webWorkers({ workerUrl })`),
        preventDefault: () => event.preventDefault(),
      }));
    },
  };
}

/**
 * An adapter that runs each pool worker in a browser Web Worker (a module worker).
 * A per-call `transfer` list moves ArrayBuffers and ports instead of copying them; shared memory
 * is used where the page is cross-origin isolated. Needs Web Locks: a secure context (https, or
 * http on localhost).
 */
export function webWorkers(options?: WebWorkersOptions): Adapter {
  const { workerUrl, name, credentials } = adapterOptions('webWorkers', options, ['workerUrl', 'name', 'credentials']) as WebWorkersOptions;
  // Checked here, not when the first worker starts: a bad value would break the pool later instead.
  if (workerUrl !== undefined && typeof workerUrl !== 'string' && !(workerUrl instanceof URL)) throw new TypeError(`Expected 'workerUrl' to be a URL or a string, got ${typeof workerUrl}`);
  if (name !== undefined && typeof name !== 'string') throw new TypeError(`Expected 'name' to be a string, got ${typeof name}`);
  if (credentials !== undefined && !['omit', 'same-origin', 'include'].includes(credentials)) {
    throw new TypeError(`Expected 'credentials' to be 'omit', 'same-origin' or 'include', got ${JSON.stringify(credentials)}`);
  }
  if (typeof navigator === 'undefined' || typeof Worker !== 'function') {
    throw new TypeError('webWorkers() runs in a browser (it needs Worker and navigator.locks): on Node use nodeWorkers() or nodeProcesses(), on Deno denoWorkers(), on Bun bunWorkers()');
  }
  const entry = workerUrl === undefined ? entryFor(ownEntry) : workerUrl;
  return {
    name: 'web',
    supports: {
      isolation: true, cloning: true, sharedMemory: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
      transfer: true, functionTasks: true, loadsModule: true, filePaths: false, typescript: false, killable: true, exitCodes: false,
      dynamicSize: true, progress: true, cooperativeCancel: true, bareImports: false,
    },
    defaultProcesses: () => navigator.hardwareConcurrency ?? 4,
    ...(typeof location !== 'undefined' && { baseUrl: pageBase }),
    spawn(events): WorkerHandle {
      // The worker's name is its lock's: the worker takes the lock named after itself.
      const lock = name === undefined ? lifeLockName() : `${lifeLockName()} ${name}`;
      const worker = new Worker(entry, { type: 'module', name: lock, ...(credentials !== undefined && { credentials }) });
      let unattributed = false;
      const supervised = asSupervised(worker, lock, entry, () => {
        unattributed = true;
      });
      return superviseWebWorker(supervised, lock, { ...events, exit: (exit) => events.exit(unattributed ? { ...exit, unattributed } : exit) });
    },
  };
}
