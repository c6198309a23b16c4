/**
 * @pool/node-process — runs @pool/core's workers as Node.js child processes, Python's
 * `multiprocessing` proper: one OS process per worker, each with its own heap and crash domain.
 * @module
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Stream } from 'node:stream';
import { adapterOptions, execArgvLoadsTypeScript, hostLoadsTypeScript, stringList, workerLoopUrl, type Adapter, type FromWorker, type ToWorker, type WorkerHandle } from '@pool/core';
import type { Control } from './worker.js';
import { decode, encode } from './wire.js';

/**
 * Where one of a child's standard streams goes: the parent's own stream (`'inherit'`),
 * nowhere (`'ignore'`), a file descriptor, or a stream that has one (e.g. an open `fs.WriteStream`).
 */
export type NodeProcessStdio = 'inherit' | 'ignore' | number | Stream;

/** Options of {@link nodeProcesses}, passed through to every `child_process.fork()`. */
export interface NodeProcessesOptions {
  /**
   * Node CLI options of the children, e.g. `['--max-old-space-size=512']`, passed as given.
   * @default the parent's `process.execArgv`
   */
  execArgv?: string[];
  /**
   * The children's whole environment (not merged with the parent's).
   * @default process.env
   */
  env?: NodeJS.ProcessEnv;
  /**
   * The children's working directory. The task module's path is resolved against the parent's.
   * @default the parent's `process.cwd()`
   */
  cwd?: string | URL;
  /**
   * The children's standard streams. A single value applies to stdout and stderr; a tuple gives
   * `[stdin, stdout, stderr]`. With `'inherit'` the children's output appears in the parent's.
   * stdin is `'ignore'` unless a tuple says otherwise, as in Python (`/dev/null`).
   * Pipes are not offered: nothing would read them, and a full pipe blocks the child.
   * @default 'inherit'
   */
  stdio?: 'inherit' | 'ignore' | readonly [NodeProcessStdio, NodeProcessStdio, NodeProcessStdio];
  /**
   * Extra `process.argv` entries seen in the children.
   * @default []
   */
  argv?: string[];
  /**
   * The Node.js executable of the children.
   * @default process.execPath
   */
  execPath?: string;
  /**
   * Grace in ms between `SIGTERM` and `SIGKILL` when the pool terminates a child.
   * @default 1000
   */
  killTimeout?: number;
  /**
   * Lines of a child's stderr kept to say why it died (`WorkerExit.stderr`, the pool's
   * `workerexit` event and `metrics().exits`). Default 20. Where stderr is `'inherit'`, it then
   * goes through a pipe the parent reads and copies to its own stderr. `0`: nothing is kept.
   */
  stderrLines?: number;
  /**
   * Kill each child when the parent dies, even by `SIGKILL` and even while a task blocks the
   * child's event loop. On Linux under Node, where util-linux's `setpriv` (2.33+) is installed,
   * the kernel does it at once (a parent-death signal; the child is started through `setpriv`,
   * which then execs Node, so it costs nothing). Elsewhere a watchdog thread in each child checks
   * every 500 ms, at the price of a Node environment per child (about 50 ms of CPU at start-up on
   * a 2-core VM, and 3-10 MB). With `false` an orphan exits only once its event loop is free to
   * see the broken IPC channel.
   * @default true
   */
  watchParent?: boolean;
}

/**
 * The handle `nodeProcesses().spawn()` returns: core's `WorkerHandle` plus the child's PID, for
 * diagnostics and for tests that kill a worker from outside (`process.kill(handle.pid, 'SIGKILL')`).
 */
export interface NodeProcessHandle extends WorkerHandle {
  /** The child's process ID; `undefined` if it could not be spawned. */
  readonly pid: number | undefined;
}

const workerEntry = new URL('./worker.js', import.meta.url);

/** The variable that tells a child where core's worker loop is (worker.ts reads it, and deletes it first thing). */
const coreWorkerVariable = 'POOL_CORE_WORKER_URL';

const watchInterval = 500;
/** util-linux's `setpriv`, which sets a parent-death signal and then execs its command. */
const setprivPaths = ['/usr/bin/setpriv', '/bin/setpriv'];
let deathSignalWrapper: string | null | undefined;
/** How long a dead child's channel may take to deliver its last messages before its exit is reported anyway. */
const drainTimeout = 1000;

/**
 * An adapter that runs each pool worker in its own Node.js process (`child_process.fork`, with
 * `serialization: 'advanced'`, so values cross as they do between threads: Map, Set, Date,
 * BigInt, typed arrays, errors; messages JSON carries exactly cross as JSON text, `wire.ts`).
 * Per-call `transfer` lists are ignored: processes copy.
 * @throws TypeError / RangeError for bad options.
 */
export function nodeProcesses(options?: NodeProcessesOptions): Adapter {
  const checked = adapterOptions('nodeProcesses', options, ['execArgv', 'env', 'cwd', 'stdio', 'argv', 'execPath', 'killTimeout', 'stderrLines', 'watchParent']) as NodeProcessesOptions;
  stringList('execArgv', checked.execArgv);
  stringList('argv', checked.argv);
  const { stdio, killTimeout = 1000, watchParent = true, argv = [], stderrLines = 20, ...forkOptions } = checked;
  forkOptions.execArgv ??= [...process.execArgv];
  if (typeof stderrLines !== 'number' || !Number.isInteger(stderrLines) || stderrLines < 0) {
    throw new RangeError(`Expected 'stderrLines' to be an integer ≥ 0, got ${String(stderrLines)}`);
  }
  if (typeof killTimeout !== 'number' || !(killTimeout >= 0) || killTimeout === Infinity) {
    throw new RangeError(`Expected 'killTimeout' to be a finite number of ms ≥ 0, got ${String(killTimeout)}`);
  }
  const childStdio = stdioOf(stdio);
  // The tail of an inherited stderr is kept by reading it through a pipe and copying it on.
  const tailStderr = stderrLines > 0 && childStdio[2] === 'inherit';
  if (tailStderr) childStdio[2] = 'pipe';
  return {
    name: 'node-process',
    supports: {
      isolation: true, cloning: true, sharedMemory: false, transfer: false,
      functionTasks: true, loadsModule: true, filePaths: true, typescript: hostLoadsTypeScript() || execArgvLoadsTypeScript(forkOptions.execArgv), killable: true, exitCodes: true,
      dynamicSize: true, memoryLimit: true, memoryMeasured: 'rss', progress: true, cooperativeCancel: true, asyncContext: true,
    },
    defaultProcesses: availableParallelism,
    cwd: () => process.cwd(),
    spawn(events): NodeProcessHandle {
      const core = workerLoopUrl();
      const env = core === undefined ? forkOptions.env : { ...(forkOptions.env ?? process.env), [coreWorkerVariable]: core };
      // The kernel kills the child when its parent dies, even while a task blocks it; where it cannot, a thread in the child watches.
      const setpriv = watchParent ? parentDeathWrapper() : null;
      const launch = setpriv ? { execPath: setpriv, execArgv: ['--pdeathsig', 'SIGKILL', '--', forkOptions.execPath ?? process.execPath, ...forkOptions.execArgv!] } : {};
      const child = fork(workerEntry, argv, { ...forkOptions, ...launch, ...(env && { env }), stdio: childStdio as never, serialization: 'advanced' });
      const tail = tailStderr && child.stderr ? keepTail(child.stderr, stderrLines) : undefined;
      let uncaught: unknown;
      let gone = false;
      let killTimer: ReturnType<typeof setTimeout> | undefined;
      let markExited!: () => void;
      const exited = new Promise<void>((resolve) => (markExited = resolve));

      const finish = (exitCode: number | null, signal: string | null): void => {
        if (gone) return;
        gone = true;
        clearTimeout(killTimer);
        if (child.connected) child.disconnect();
        const stderr = tail?.();
        events.exit({ exitCode, signal, ...(uncaught !== undefined && { error: uncaught }), ...(stderr && { stderr }) });
        markExited();
      };

      // What was sent before the child's first message, in case a preload of its own took it (worker.ts).
      let unconfirmed: (object | string)[] | null = [];
      // Throws synchronously when the v8 serializer cannot clone the message. No callback: a failed
      // write (a dead child) comes as an 'error' event, dropped below, and a callback would cost a tick per send.
      const toChild = (message: ToWorker | Control): void => {
        const sent = encode(message);
        child.send(sent);
        unconfirmed?.push(sent);
      };
      child.on('message', (received: unknown) => {
        // Anything but the worker loop's objects (a task calling process.send() itself) is not for the pool.
        const message = decodeOrDrop(received) as FromWorker | Control | null;
        if (gone || typeof message !== 'object' || message === null) return;
        if (unconfirmed) {
          const sent = unconfirmed;
          unconfirmed = null;
          if ('control' in message && message.control === 'resend') {
            toChild({ control: 'resent' });
            for (const early of sent) child.send(early);
            return;
          }
        }
        if (!('control' in message)) events.message(message);
        else if (message.control === 'uncaught') uncaught = message.error;
      });
      // Spawn failures (bad cwd or execPath) come only as 'error' + 'close'; other errors are
      // failed sends to a dead child, which are dropped by contract.
      child.on('error', (error) => {
        if (child.pid === undefined) uncaught ??= error;
      });
      // 'exit' can overtake the child's last messages: report it once the channel has drained.
      // So can it the last lines of its stderr, when they are kept.
      child.on('exit', (exitCode, signal) => {
        const stderr = tail && child.stderr && !child.stderr.destroyed ? child.stderr : undefined;
        if (!child.connected && !stderr) return finish(exitCode, signal);
        const drained = [
          child.connected && new Promise((resolve) => child.once('disconnect', resolve)),
          stderr && new Promise((resolve) => stderr.once('close', resolve)),
        ];
        void Promise.all(drained).then(() => finish(exitCode, signal));
        setTimeout(() => finish(exitCode, signal), drainTimeout).unref();
      });
      child.on('close', (exitCode, signal) => finish(child.pid === undefined ? null : exitCode, signal));
      if (watchParent && !setpriv) toChild({ control: 'watch-parent', interval: watchInterval });

      return {
        pid: child.pid,
        send: toChild,
        terminate: () => {
          if (!gone && killTimer === undefined) {
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), killTimeout);
          }
          return exited;
        },
        ref: () => {
          child.ref();
          child.channel?.ref?.();
          (child.stderr as { ref?: () => void } | null)?.ref?.();
        },
        unref: () => {
          child.unref();
          child.channel?.unref?.();
          (child.stderr as { unref?: () => void } | null)?.unref?.();
        },
      };
    },
  };
}

/**
 * The path of a `setpriv` that knows `--pdeathsig` (util-linux 2.33+), on Linux under Node, or
 * `null`: then each child runs a watchdog thread instead, which costs it a Node environment
 * (about 50 ms of CPU at start-up on a 2-core VM, and 3-10 MB). Found once per process, by the
 * option's name in the binary: running it to ask would cost every new process ~8 ms.
 */
function parentDeathWrapper(): string | null {
  if (deathSignalWrapper === undefined) deathSignalWrapper = findSetpriv(); // null is an answer too
  return deathSignalWrapper;
}

function findSetpriv(): string | null {
  // Bun's and Deno's fork() run their own binaries their own way: there the thread watches.
  if (process.platform !== 'linux' || 'bun' in process.versions || 'deno' in process.versions) return null;
  for (const path of setprivPaths) {
    try {
      if (readFileSync(path).includes('pdeathsig')) return path;
    } catch {
      // not there, or not readable: try the next
    }
  }
  return null;
}

/** A message from the child, as sent; `undefined` for a string that is not JSON (a task's own `process.send()`). */
function decodeOrDrop(message: unknown): unknown {
  try {
    return decode(message);
  } catch {
    return undefined;
  }
}

type ForkStdio = [NodeProcessStdio, NodeProcessStdio, NodeProcessStdio | 'pipe', 'ipc'];

/** Copies `stream` to the parent's stderr, keeping its last `lines` lines; returns what reads them. */
function keepTail(stream: NodeJS.ReadableStream, lines: number): () => string {
  let kept = '';
  stream.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    kept += chunk.toString('utf8');
    if (kept.length > 8192) kept = kept.slice(-8192);
  });
  stream.on('error', () => {});
  return () => kept.split('\n').filter((line) => line.length > 0).slice(-lines).join('\n');
}

/** Checks the `stdio` option eagerly and adds the IPC channel fork needs. */
function stdioOf(stdio: NodeProcessesOptions['stdio'] = 'inherit'): ForkStdio {
  if (stdio === 'inherit' || stdio === 'ignore') return ['ignore', stdio, stdio, 'ipc'];
  if (!Array.isArray(stdio) || stdio.length !== 3) {
    throw new TypeError(`Expected 'stdio' to be 'inherit', 'ignore' or [stdin, stdout, stderr], got ${String(stdio)}`);
  }
  const names = ['stdin', 'stdout', 'stderr'];
  stdio.forEach((entry: unknown, i) => {
    const ok = entry === 'inherit' || entry === 'ignore' || entry instanceof Stream ||
      (typeof entry === 'number' && Number.isInteger(entry) && entry >= 0);
    if (!ok) {
      throw new TypeError(`Expected 'stdio' ${names[i]} to be 'inherit', 'ignore', a file descriptor or a stream, got ${String(entry)}`);
    }
  });
  return [...stdio, 'ipc'] as ForkStdio;
}
