/**
 * @pool/bun — runs @pool/core's workers as Bun Workers.
 *
 * Bun's `Worker` fires a `close` event with the exit code however the worker ends
 * (`process.exit()`, an uncaught error or rejection, `terminate()`); an `error` event comes
 * first when an uncaught error killed it. Those two events are all the adapter needs.
 * @module
 */
import { adapterOptions, deserializeError, stringList, type Adapter, type FromWorker, type SerializedError, type WorkerHandle } from '@pool/core';
import { uncaughtTag } from './uncaught.js';

/**
 * `new Worker()`, whose refusal of a preload it cannot find Bun reports as `TypeError: undefined`:
 * that one names the option and its files instead.
 */
function startWorker(opts: BunWorkersOptions): InstanceType<typeof Worker> {
  try {
    return new Worker(workerEntry, { name: '@pool/bun', ...opts });
  } catch (error) {
    if (opts.preload === undefined || (error instanceof Error && error.message !== 'undefined' && error.message !== '')) throw error;
    throw new TypeError(`Bun could not start a worker with preload ${JSON.stringify(opts.preload)}: is every file there?`, { cause: error });
  }
}

/** Options of {@link bunWorkers}, passed through to every `new Worker()` (see Bun's `WorkerOptions`). */
export interface BunWorkersOptions {
  /**
   * Run each worker with a smaller heap (Bun's `smol` mode): less memory, more GC.
   * @default false
   */
  smol?: boolean;
  /**
   * The workers' `process.env`: an object, or `SHARE_ENV` from `node:worker_threads` to share the parent's.
   * @default the parent's `process.env` as it is when the worker starts
   */
  env?: Record<string, string> | symbol;
  /**
   * Modules loaded in each worker before the pool's worker entry (a path or URL, or a list of them).
   * @default none
   */
  preload?: string | readonly string[];
  /**
   * Extra `process.argv` entries seen in the workers.
   * @default []
   */
  argv?: readonly unknown[];
  /**
   * Runtime options seen as `process.execArgv` in the workers.
   * @default Bun's: the parent's `process.execArgv`
   */
  execArgv?: readonly string[];
  /**
   * Worker name shown in inspectors.
   * @default '@pool/bun'
   */
  name?: string;
}

// The few host globals this file uses, declared here so they stay out of the public .d.ts.
interface BunWorker {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  terminate(): void;
  ref(): void;
  unref(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { error?: unknown; message: string; preventDefault(): void }) => void): void;
  addEventListener(type: 'close', listener: (event: { code?: number }) => void): void;
}
declare const Worker: new (url: URL, options: Record<string, unknown>) => BunWorker;
declare const navigator: { hardwareConcurrency?: number };
declare const process: { cwd(): string };
declare class URL {
  constructor(url: string, base?: string);
}

// Built, this file is dist/index.js next to dist/worker.js; run from source (the "bun" export
// condition), it is src/index.ts next to src/worker.ts.
const workerEntry = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

/**
 * An adapter that runs each pool worker in a Bun Worker. Idle workers are unreferenced, so a
 * pool with no work does not keep Bun running. A per-call `transfer` list moves ArrayBuffers
 * and MessagePorts instead of copying them.
 * @throws TypeError for an unknown option, or an `execArgv` that is not an array of strings.
 */
export function bunWorkers(options?: BunWorkersOptions): Adapter {
  const opts = adapterOptions('bunWorkers', options, ['smol', 'env', 'preload', 'argv', 'execArgv', 'name']) as BunWorkersOptions;
  stringList('execArgv', opts.execArgv);
  return {
    name: 'bun',
    supports: {
      isolation: true, cloning: true, sharedMemory: true, transfer: true,
      functionTasks: true, loadsModule: true, filePaths: true, typescript: true, killable: true, exitCodes: true,
      dynamicSize: true, memoryLimit: false, progress: true, cooperativeCancel: true, asyncContext: true,
    },
    defaultProcesses: () => navigator.hardwareConcurrency ?? 4,
    cwd: () => process.cwd(),
    spawn(events): WorkerHandle {
      const worker = startWorker(opts);
      let uncaught: unknown;
      /** What the worker said killed it (worker.ts): the error itself, where Bun's event has source text. */
      let reported: unknown;
      let closed = false;
      const waiting: Array<() => void> = [];
      worker.addEventListener('message', ({ data }) => {
        if (Array.isArray(data) && data[0] === uncaughtTag) reported ??= deserializeError(data[1] as SerializedError);
        else events.message(data as FromWorker);
      });
      worker.addEventListener('error', (event) => {
        // The worker is dying: keep the error for WorkerExitError's cause, and keep it from
        // being reported as the host's own uncaught error.
        event.preventDefault();
        uncaught ??= event.error ?? new Error(event.message);
      });
      worker.addEventListener('close', ({ code }) => {
        closed = true;
        const error = reported ?? uncaught;
        events.exit({ exitCode: code ?? null, signal: null, ...(error !== undefined && { error }) });
        for (const resolve of waiting.splice(0)) resolve();
      });
      return {
        // `undefined` when nothing moves (most messages): no empty transfer list is made for them.
        send: (message, transfer) => worker.postMessage(message, transfer),
        terminate: () => {
          if (closed) return Promise.resolve();
          // Resolve on `close`, once the worker is really gone (Bun stops even a sync loop).
          const gone = new Promise<void>((resolve) => waiting.push(resolve));
          worker.terminate();
          return gone;
        },
        ref: () => worker.ref(),
        unref: () => worker.unref(),
      };
    },
  };
}
