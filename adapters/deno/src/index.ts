/**
 * @pool/deno — runs @pool/core's workers as Deno Web Workers (`type: 'module'`).
 *
 * Deno's `Worker` reports no exit: a worker that calls `Deno.exit()` or `self.close()`, or is
 * ended by the runtime, just goes quiet. Core's liveness helper (`superviseWebWorker`) notices
 * such deaths through a Web Lock each worker holds for its whole life.
 * @module
 */
import {
  adapterOptions, hostLoadsTypeScript, lifeLockName, superviseWebWorker,
  type Adapter, type FromWorker, type WebWorkerLike, type WorkerEvents, type WorkerHandle,
} from '@pool/core';

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
declare const Worker: new (url: URL, options: Record<string, unknown>) => WebWorkerLike;
declare const Deno: { cwd(): string };
declare const navigator: { hardwareConcurrency?: number };
declare class URL {
  constructor(url: string, base?: string);
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
export function denoWorkers(options?: DenoWorkersOptions): Adapter {
  const { permissions: given } = adapterOptions('denoWorkers', options, ['permissions']) as DenoWorkersOptions;
  const permissions = workerPermissions(given);
  return {
    name: 'deno',
    supports: {
      isolation: true, cloning: true, sharedMemory: true, transfer: true,
      functionTasks: true, loadsModule: true, filePaths: true, typescript: hostLoadsTypeScript(), killable: true, exitCodes: false,
      dynamicSize: true, memoryLimit: true, memoryMeasured: 'heap', progress: true, cooperativeCancel: true, asyncContext: true,
    },
    defaultProcesses: () => navigator.hardwareConcurrency ?? 4,
    cwd: () => Deno.cwd(),
    spawn(events): WorkerHandle {
      const lock = lifeLockName();
      const worker = new Worker(workerEntry, {
        type: 'module',
        name: lock,
        // Only when asked: without --unstable-worker-options, Deno exits on this option.
        ...(permissions !== undefined && { deno: { permissions } }),
      });
      return superviseWebWorker(worker, lock, permissions === undefined ? events : withPermissionHint(events));
    },
  };
}

const permissionNames = ['env', 'ffi', 'import', 'net', 'read', 'run', 'sys', 'write'] as const;

/**
 * The permissions as Deno takes them. Deno denies a permission an object leaves out (the worker
 * gets "prompt", which a worker cannot answer): each one left out is spelled `'inherit'`, as the
 * option's type says. A key Deno does not know is a `TypeError` (a typo would deny everything).
 */
function workerPermissions(given: DenoWorkerPermissions | undefined): DenoWorkerPermissions | undefined {
  if (given === undefined || typeof given === 'string') return given;
  if (typeof given !== 'object' || given === null) throw new TypeError(`Expected 'permissions' to be 'inherit', 'none' or an object, got ${String(given)}`);
  for (const key of Object.keys(given)) {
    if (!(permissionNames as readonly string[]).includes(key)) throw new TypeError(`Unknown Deno permission '${key}' in 'permissions'; expected one of ${permissionNames.join(', ')}`);
  }
  return Object.fromEntries(permissionNames.map((name) => [name, given[name] ?? 'inherit']));
}

/**
 * A worker that the pool's `permissions` deny the task module fails with Deno's own advice, "run
 * again with the --allow-read flag", which is about the process: say what to grant instead.
 */
function withPermissionHint(events: WorkerEvents): WorkerEvents {
  return {
    exit: (exit) => events.exit(exit),
    message(message: FromWorker) {
      if (message.type === 'init-failed' && message.stage === 'module' && message.error.kind === 'error') {
        const denied = /^Requires read access to "(.*\/)[^/"]*"/.exec(message.error.message);
        if (denied) {
          const hint = `\n  hint: the workers run with denoWorkers({ permissions }), which do not let them read the task module: grant it, e.g. denoWorkers({ permissions: { read: ['${denied[1]}'] } })`;
          return events.message({ ...message, error: { ...message.error, message: message.error.message + hint } });
        }
      }
      events.message(message);
    },
  };
}
