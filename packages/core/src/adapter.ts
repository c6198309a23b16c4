/**
 * The seam between the runtime-agnostic pool and a runtime's workers. An adapter only spawns a
 * worker and carries messages; the protocol, the handshake, supervision and errors live in core.
 * @module
 */
import type { FromWorker, ToWorker } from './protocol.js';

/** How a worker ended, as far as its runtime can tell. */
export interface WorkerExit {
  /** Exit code, when the runtime reports one. */
  readonly exitCode: number | null;
  /** Signal that ended the worker (processes), else `null`. */
  readonly signal: string | null;
  /** An uncaught error that killed the worker, when the runtime reports it. */
  readonly error?: unknown;
  /** The last lines the worker wrote to its stderr, where the adapter keeps them. */
  readonly stderr?: string;
  /**
   * It died of something reported after the fact (a browser's unhandled rejection, raised once
   * the unit that left it has answered and another runs): the running unit may be innocent. Its
   * units are run again one at a time (`isolation.ts`); one that kills its worker alone fails.
   */
  readonly unattributed?: boolean;
}

/** What the pool hands an adapter when it asks for a worker. */
export interface WorkerEvents {
  /** Call for every message the worker sends, in order. */
  message(message: FromWorker): void;
  /**
   * Call exactly once when the worker is gone, however it went (its own exit, a crash,
   * `terminate()`). Calls after the first are ignored.
   */
  exit(exit: WorkerExit): void;
}

/** One running worker, as the pool sees it. */
export interface WorkerHandle {
  /**
   * Send a message. Must throw synchronously if the message cannot be cloned (the pool turns
   * that into a `DataCloneError` for the call alone); must not throw for a dead worker.
   */
  send(message: ToWorker, transfer?: readonly unknown[]): void;
  /** Stop the worker now. Resolves once it is gone; `exit` has been or will be called. */
  terminate(): Promise<void>;
  /** Let this worker keep the host process alive (it has work). Optional: not every runtime can. */
  ref?(): void;
  /** Let the host process exit even though this worker lives (it is idle). */
  unref?(): void;
}

/**
 * What an adapter's workers can do: one manifest, read by the pool (which refuses what an
 * adapter cannot do, e.g. a function task on a queue) and by the conformance suite (which runs
 * each case only where its capability is present).
 */
export interface Supports {
  /**
   * Workers are isolated from the host: they can die on their own, be retired
   * (`maxTasksPerChild`) and be stopped mid-task. `inline()` says `false`.
   */
  readonly isolation: boolean;
  /**
   * Values are copied on the way (structured clone, or a codec): a value that cannot be copied
   * gives `DataCloneError` (arguments) or `MaybeEncodingError` (results). `false` means values
   * pass by reference, as in `inline()`.
   */
  readonly cloning: boolean;
  /**
   * A `SharedArrayBuffer` sent to a worker is shared with it (threads and web workers, not
   * processes). The pool then tracks which unit a worker runs through shared memory, and can
   * take back units a worker holds but has not started. Elsewhere, when a worker dies holding
   * several units, they are re-run one at a time to find the one that killed it.
   */
  readonly sharedMemory: boolean;
  /** A per-call `transfer` list moves ArrayBuffers and ports instead of copying them. */
  readonly transfer: boolean;
  /**
   * Function tasks and initializers, sent by their source text, may run. A queue, whose hosts
   * must never run code that travelled through it, says `false`: such a call is a `TypeError`.
   */
  readonly functionTasks: boolean;
  /**
   * The workers load the pool's `module` (and run its `initializer`). A queue's hosts load their
   * own, chosen where they start, and say `false`: the pool's `module` then only names it.
   */
  readonly loadsModule: boolean;
  /** `module` may be a file path (the pool's host has a working directory and a file system). */
  readonly filePaths: boolean;
  /** A TypeScript task module (`.ts`) loads as it is, with no build step. */
  readonly typescript: boolean;
  /** A worker can be killed from outside (a signal, `terminate()`), and the pool notices. */
  readonly killable: boolean;
  /** The runtime reports a dead worker's exit code (`WorkerExitError.exitCode`); else it is `null`. */
  readonly exitCodes: boolean;
  /**
   * Workers are started on demand and retired when idle (`minProcesses`, `maxProcesses`,
   * `idleTimeout`). Every channel adapter can (core's executor does it); a queue says what it does.
   */
  readonly dynamicSize?: boolean;
  /**
   * A worker measures its own memory after a unit (its port's `memory()`), so `maxMemoryPerChild`
   * can retire it.
   */
  readonly memoryLimit?: boolean;
  /**
   * What that memory is: `'heap'`, the worker's own JavaScript heap, collected before a reading
   * over the limit counts (only what the worker keeps retires it); `'rss'`, the memory its process
   * holds from the system, which a collection need not give back.
   */
  readonly memoryMeasured?: 'heap' | 'rss';
  /** `progress(value)` inside a task reaches the call's `onProgress`. Core's executor does it. */
  readonly progress?: boolean;
  /**
   * A cancelled call's `signal()` aborts inside its running task, and the pool waits `cancelGrace`
   * ms for the task to stop before it stops the worker. Core's executor does it.
   */
  readonly cooperativeCancel?: boolean;
  /**
   * A task module may import packages by bare specifier (`import { progress } from
   * '@pool/core/worker'`). `false` in browsers, where module workers see no import map: bundle
   * such a task module. Missing means `true`.
   */
  readonly bareImports?: boolean;
  /**
   * A `progress()` or `signal()` that a task calls after it returned (from a timer, a callback)
   * still belongs to its own call, never to the unit its worker runs next: the progress is dropped
   * (the call has settled) and the signal is aborted. The worker's port gives a `unitStore()`.
   * Without it, such a call reaches whichever unit runs then.
   */
  readonly asyncContext?: boolean;
}

/** A runtime's way of running pool workers. Returned by `nodeWorkers()`, `denoWorkers()`, … */
export interface Adapter {
  /** A short name for messages and stats, e.g. `'node-worker'`. */
  readonly name: string;
  /** What this adapter's workers can do. */
  readonly supports: Supports;
  /** Default worker count: the runtime's available parallelism. */
  defaultProcesses(): number;
  /** The current working directory, to resolve a relative module path; absent where there is none. */
  cwd?(): string;
  /**
   * Where `supports.filePaths` is `false`: the URL a relative `module` string resolves against
   * (a browser page's base URL). Without it, the string is handed to the workers as given.
   */
  baseUrl?(): string;
  /** Start one worker running core's worker loop, reporting to `events`. */
  spawn(events: WorkerEvents): WorkerHandle;
}

/**
 * A store that follows a unit through its task's asynchronous work (timers, promises, callbacks),
 * as a runtime's `AsyncLocalStorage<number>` does (Node's, Deno's and Bun's `node:async_hooks`).
 */
export interface UnitStore {
  /** Runs `fn` as unit `unit`: what it starts, however late it runs, reads `unit` back. */
  run<R>(unit: number, fn: () => R): R;
  /** The rest of this synchronous run, and what it starts, belong to `unit`. */
  enterWith(unit: number): void;
  /** The unit whose work is running, or `undefined` outside any. */
  getStore(): number | undefined;
}

/**
 * The worker side of a channel: what an adapter's worker entry gives `runWorker()`.
 */
export interface WorkerPort {
  /**
   * Send to the pool. Throws synchronously if the message cannot be cloned. `transfer` lists
   * buffers to move rather than copy (a packed chunk's values); a channel that cannot move them
   * ignores it.
   */
  send(message: FromWorker, transfer?: readonly ArrayBuffer[]): void;
  /** Register the one listener for messages from the pool. */
  listen(listener: (message: ToWorker) => void): void;
  /** End this worker cleanly (the pool asked it to leave). */
  exit(): void;
  /** `true` where values pass by reference (`inline()`): errors are then sent as they are. */
  readonly byReference?: boolean;
  /**
   * This worker's memory in bytes, cheap enough to read after every unit: the heap of a thread
   * or web worker, the RSS of a process. Where given, the pool's `maxMemoryPerChild` works
   * (declare `supports.memoryLimit`).
   */
  memory?(): number;
  /**
   * Runs a full garbage collection, where the runtime allows it (see `fullCollector`). A reading
   * of `memory()` over `maxMemoryPerChild` is taken again after it, so only what the worker
   * still holds retires it, not garbage a collection would have freed anyway.
   */
  collectGarbage?(): void;
  /**
   * A monotonic clock in ms, which paces answers; `performance.now()` where not given. Node loads
   * perf_hooks at a thread's or process's first `performance.now()`: Node workers give `hrtimeMs`.
   */
  now?(): number;
  /**
   * Makes this worker's {@link UnitStore} (a `new AsyncLocalStorage()`); declare
   * `supports.asyncContext`. The loop asks at a task's first `progress()` or `signal()`, not
   * before: tracking costs every promise in the worker something (on Node 20, ~50%), so workers
   * whose tasks use neither never pay it.
   */
  unitStore?(): UnitStore;
}
