/**
 * @pool/node-worker — runs @pool/core's workers on Node.js `worker_threads`.
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';
import { adapterOptions, execArgvLoadsTypeScript, hostLoadsTypeScript, stringList, workerLoopUrl, type Adapter, type WorkerHandle } from '@pool/core';

/** Options of {@link nodeWorkers}, passed through to every `new Worker()`. */
export interface NodeWorkersOptions {
  /**
   * Heap and stack limits of each worker thread.
   * @default Node's defaults
   */
  resourceLimits?: ResourceLimits;
  /**
   * The workers' `process.env`: an object, or `SHARE_ENV` to share the parent's.
   * @default a copy of the parent's `process.env`
   */
  env?: NodeJS.ProcessEnv | typeof import('node:worker_threads').SHARE_ENV;
  /**
   * Node CLI options for the workers, e.g. `['--import', 'tsx']`.
   * @default the parent's `process.execArgv`
   */
  execArgv?: string[];
  /**
   * Extra `process.argv` entries seen in the workers.
   * @default []
   */
  argv?: unknown[];
  /**
   * Thread name shown in inspectors and traces.
   * @default '@pool/node-worker'
   */
  name?: string;
}

const workerEntry = new URL('./worker.js', import.meta.url);


/**
 * An adapter that runs each pool worker in a Node.js worker thread.
 * A per-call `transfer` list moves ArrayBuffers and MessagePorts instead of copying them.
 * @throws TypeError for an unknown option, or an `execArgv` that is not an array of strings.
 */
export function nodeWorkers(options?: NodeWorkersOptions): Adapter {
  const opts = adapterOptions('nodeWorkers', options, ['resourceLimits', 'env', 'execArgv', 'argv', 'name']) as NodeWorkersOptions;
  stringList('execArgv', opts.execArgv);
  if (opts.argv !== undefined && !Array.isArray(opts.argv)) throw new TypeError(`Expected 'argv' to be an array, got ${typeof opts.argv}`);
  return {
    name: 'node-worker',
    supports: {
      isolation: true, cloning: true, sharedMemory: true, transfer: true,
      functionTasks: true, loadsModule: true, filePaths: true, typescript: hostLoadsTypeScript() || execArgvLoadsTypeScript(opts.execArgv ?? process.execArgv), killable: true, exitCodes: true,
      dynamicSize: true, memoryLimit: threadHeapIsOwn(), ...(threadHeapIsOwn() && { memoryMeasured: 'heap' as const }), progress: true, cooperativeCancel: true, asyncContext: true,
    },
    defaultProcesses: availableParallelism,
    cwd: () => process.cwd(),
    spawn(events): WorkerHandle {
      const worker = new Worker(workerEntry, { name: '@pool/node-worker', ...opts, workerData: { core: workerLoopUrl() } });
      let uncaught: unknown;
      worker.on('message', events.message);
      worker.on('error', (error) => {
        uncaught = error;
      });
      worker.on('exit', (exitCode) => events.exit({ exitCode, signal: null, error: uncaught }));
      return {
        send: (message, transfer) => worker.postMessage(message, transfer as readonly TransferListItem[] | undefined),
        terminate: async () => {
          await worker.terminate();
        },
        ref: () => worker.ref(),
        unref: () => worker.unref(),
      };
    },
  };
}

/** Node measures a worker thread's own heap (`v8.getHeapStatistics()` there); Bun's emulation does not. */
function threadHeapIsOwn(): boolean {
  return (globalThis as { Bun?: unknown }).Bun === undefined;
}
