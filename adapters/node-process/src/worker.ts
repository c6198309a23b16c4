/**
 * The child-process entry: binds the IPC channel to @pool/core's worker loop, and makes sure the
 * child never outlives its parent.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FromWorker, ToWorker } from '@pool/core/worker';
import { decode, encode } from './wire.js';

/**
 * Adapter-private messages on the same channel, never seen by core: the parent asks for the
 * parent-death watchdog; the child reports the uncaught error that is about to kill it, and says
 * it is leaving (the parent ignores that: it only marks the child's last write). `resend` and
 * `resent` recover the first messages from a preload that took them (below).
 */
export type Control =
  | { readonly control: 'watch-parent'; readonly interval: number }
  | { readonly control: 'uncaught'; readonly error: unknown }
  | { readonly control: 'leaving' }
  | { readonly control: 'resend' }
  | { readonly control: 'resent' };

const send = process.send?.bind(process);
if (!send) throw new Error('@pool/node-process: this entry runs only in a child started by nodeProcesses()');

/**
 * Sends go without a callback: Node runs a tick per callback, with its async-hook bookkeeping,
 * on every answer (W3 on processes ~4% slower with one each).
 */
function post(message: FromWorker | Control): void {
  if (!process.connected) return;
  send!(encode(message)); // throws here if the v8 serializer cannot clone it
}

// A send that fails at once (EPIPE: the parent died while a task ran, and this process has not
// yet read the channel's end) comes as an 'error' event, which would kill the child with a stack
// trace on the way out. The parent is gone: 'disconnect' follows, and exits quietly.
process.on('error', () => {});

/** Leaves once every send is out: a write to a full pipe completes later, and an exit would drop it; writes complete in order. */
function leave(): void {
  if (!process.connected) process.exit(0);
  send!({ control: 'leaving' } satisfies Control, () => process.exit(0));
}

// The parent is gone (even SIGKILLed): the channel reads EOF. Nobody can use this worker now.
process.on('disconnect', () => process.exit(0));

// Tell the parent why this process is about to die, as the exit's `error`.
process.on('uncaughtExceptionMonitor', (error) => {
  if (process.listenerCount('uncaughtException') > 0) return; // someone else keeps it alive
  try {
    post({ control: 'uncaught', error });
  } catch {
    try {
      post({ control: 'uncaught', error: String(error) });
    } catch {
      // nothing to tell: the exit code will have to do
    }
  }
});

/**
 * A task that blocks the event loop would never see 'disconnect', so a thread checks whether the
 * parent is still the parent (an orphan is re-parented) and kills the process if not.
 */
async function watchParent(interval: number): Promise<void> {
  const { Worker } = await import('node:worker_threads');
  const source = `const { workerData: { ppid, interval } } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== ppid) process.kill(process.pid, 'SIGKILL'); }, interval);`;
  const watchdog = new Worker(source, { eval: true, workerData: { ppid: process.ppid, interval }, name: '@pool/node-process watchdog' });
  watchdog.on('error', () => {}); // a watchdog that fails must not take the worker with it
  watchdog.unref();
}

// Messages wait here while core loads: a child's IPC messages that find no listener are lost.
let deliver: ((message: ToWorker) => void) | null = null;
const early: ToWorker[] = [];
// Node reads the channel from its first 'message' listener on. A preload that listens (an
// `--import` or `--require` in execArgv or NODE_OPTIONS) was given the parent's first messages
// before this entry listened, and they are gone: ask for them again, and drop what comes before
// the copies (the parent keeps what it sent until the child's first message).
let resending = process.listenerCount('message') > 0;
process.on('message', (received: unknown) => {
  const message = decode(received) as ToWorker | Control;
  if (resending) {
    if ('control' in message && message.control === 'resent') resending = false;
    return;
  }
  if (!('control' in message)) {
    if (deliver) deliver(message);
    else early.push(message);
  } else if (message.control === 'watch-parent') {
    void watchParent(message.interval);
  }
});

if (resending) post({ control: 'resend' });

// Core's worker loop, by the URL the parent resolved (a bare name costs a fresh process ~3 ms);
// the variable goes at once, so tasks see the environment they were given.
const core = process.env.POOL_CORE_WORKER_URL;
delete process.env.POOL_CORE_WORKER_URL;
void (core ? import(core) : import('@pool/core/worker')).then(({ runWorker, hrtimeMs, fullCollector }: typeof import('@pool/core/worker')) =>
  runWorker({
    send: post,
    listen: (listener) => {
      deliver = listener;
      for (const message of early.splice(0)) listener(message);
    },
    exit: leave,
    memory: () => process.memoryUsage.rss(),
    collectGarbage: fullCollector(process.getBuiltinModule),
    now: hrtimeMs,
    unitStore: () => new AsyncLocalStorage<number>(),
  }),
);
