/**
 * `inline()`: the adapter that runs tasks on the caller's own event loop — the `ThreadPool` of
 * this port. Same API and semantics, no isolation, no copying.
 * @module
 */
import type { Adapter, WorkerEvents, WorkerHandle } from './adapter.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { hostLoadsTypeScript } from './runtime.js';
import { runtimeParallelism } from './parallelism.js';
import { runWorker } from './worker-loop.js';
import { microtask } from './microtask.js';
import { adapterOptions, positiveInteger } from './validate.js';

/** Options of {@link inline}. */
export interface InlineOptions {
  /**
   * Default `processes` (concurrent tasks) for pools on this adapter.
   * @default the runtime's available parallelism (see `runtimeParallelism`), else 4
   */
  concurrency?: number;
}

/**
 * An adapter whose "workers" run on the caller's event loop. Values pass by reference;
 * `maxTasksPerChild` is ignored; `terminate()` rejects unfinished results with `TerminatedError`
 * but cannot stop a task that is already running. Async tasks overlap up to `processes` at once;
 * sync tasks run one after another.
 * @throws TypeError / RangeError for an unknown option or a `concurrency` that is not an integer ≥ 1.
 */
export function inline(options?: InlineOptions): Adapter {
  const opts = adapterOptions('inline', options, ['concurrency']);
  const concurrency = positiveInteger('concurrency', opts['concurrency']) ?? runtimeParallelism() ?? 4;
  return {
    name: 'inline',
    supports: {
      isolation: false, cloning: false, sharedMemory: false, transfer: false,
      functionTasks: true, loadsModule: true, filePaths: hostCwd() !== undefined, typescript: hostLoadsTypeScript(), killable: false, exitCodes: false,
      dynamicSize: true, memoryLimit: false, progress: true, cooperativeCancel: true,
      // In a browser page, bare specifiers resolve only through an import map.
      bareImports: !('document' in globalThis),
    },
    defaultProcesses: () => concurrency,
    cwd: hostCwd(),
    spawn: spawnInline,
  };
}

function spawnInline(events: WorkerEvents): WorkerHandle {
  let alive = true;
  let toWorker: ((message: ToWorker) => void) | undefined;
  const exit = (exitCode: number): void => {
    if (!alive) return;
    alive = false;
    microtask(() => events.exit({ exitCode, signal: null }));
  };
  runWorker({
    byReference: true,
    // Asynchronous both ways, like a real channel: no re-entrance into the pool mid-call.
    send: (message: FromWorker) => {
      if (alive) microtask(() => alive && events.message(message));
    },
    listen: (listener) => {
      toWorker = listener;
    },
    exit: () => exit(0),
  });
  return {
    send: (message) => {
      if (alive) microtask(() => alive && toWorker?.(message));
    },
    terminate: () => {
      exit(1);
      return Promise.resolve();
    },
  };
}

// Node, Deno 2 and Bun all have a global `process`; elsewhere a module path must be absolute.
function hostCwd(): (() => string) | undefined {
  const process = (globalThis as { process?: { cwd?: () => string } }).process;
  return typeof process?.cwd === 'function' ? () => process.cwd!() : undefined;
}
