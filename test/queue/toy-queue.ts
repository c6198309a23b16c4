/**
 * A toy in-memory *queue* adapter: proof that core's executor seam carries a pull transport
 * before a real one (BullMQ) is built on it. A test fixture, not a product.
 *
 * The shape is a shared queue's: units wait in one queue; "hosts" pull them when they have room;
 * every message to and from a host is structured-cloned and delivered after a random delay, so
 * answers come back out of order, across hosts and within one; a host can be lost at any moment
 * (`loseHost()`), as a machine is: its units are re-sent while `retries` lasts, then fail
 * `WorkerExitError`. Hosts run core's worker loop in this process, so a unit stuck in a
 * synchronous loop cannot be stopped (`isolation: false`).
 */
import { DataCloneError, deserializeError, WorkerExitError, type FromWorker, type ToWorker } from '@pool/core';
import { explainCloneError, Queue, TaskKind, type Executor, type ExecutorCounts, type ExecutorHost, type Job, type PoolInit, type QueueAdapter, type TaskUnit } from '@pool/core/executor';
import { runWorker } from '@pool/core/worker';
import { seededRandom } from '../conformance/harness.js';

/** Options of {@link toyQueue}. */
export interface ToyQueueOptions {
  /** Hosts pulling from the queue. Default: the pool's `processes`. */
  hosts?: number;
  /** Units a host holds at once. Default 1. */
  hostWindow?: number;
  /** Longest delivery delay of a message, in ms. Default 3. */
  maxDelayMs?: number;
  /** Share of messages delivered after a timer (1 ms to `maxDelayMs`); the rest after a microtask. Default 0.02. */
  delayedShare?: number;
  /** Seed of the delays. */
  seed?: number;
}

/** The toy adapter, and a handle on the executors it opened, to lose hosts from a test. */
export interface ToyQueue extends QueueAdapter {
  /** Executors opened so far (one per pool). */
  readonly opened: ToyExecutor[];
}

/** A queue adapter whose hosts are in this process. */
export function toyQueue(options: ToyQueueOptions = {}): ToyQueue {
  const opened: ToyExecutor[] = [];
  return {
    name: 'toy-queue',
    supports: {
      isolation: false, cloning: true, sharedMemory: false, transfer: false,
      functionTasks: true, loadsModule: true, filePaths: true, typescript: false, killable: true, exitCodes: false,
      dynamicSize: false, memoryLimit: false, progress: true, cooperativeCancel: false,
    },
    defaultProcesses: () => 4,
    cwd: () => (globalThis as { process?: { cwd(): string } }).process?.cwd() ?? '/',
    opened,
    open(init, host) {
      const executor = new ToyExecutor(init, host, options);
      opened.push(executor);
      return executor;
    },
  };
}

/** One simulated machine: core's worker loop behind a delayed, cloning channel. */
class ToyHost {
  alive = true;
  ready = false;
  /** Units sent to this host and not answered, by id. */
  readonly units = new Map<number, TaskUnit>();
  #toWorker: ((message: ToWorker) => void) | undefined;

  constructor(readonly executor: ToyExecutor, init: ToWorker) {
    runWorker({
      send: (message) => {
        const copy = structuredClone(message); // throws here, as a real channel would
        this.#later(() => executor.answer(this, copy));
      },
      listen: (listener) => {
        this.#toWorker = listener;
      },
      exit: () => this.#later(() => executor.left(this)),
    });
    this.post(init);
  }

  /** Sends a message to the worker; throws synchronously if it cannot be cloned. */
  post(message: ToWorker): void {
    const copy = structuredClone(message);
    this.#later(() => this.#toWorker?.(copy));
  }

  #later(deliver: () => void): void {
    const delay = this.executor.delay();
    // No delay still means later: a channel never answers inside the call that sent.
    if (delay === 0) queueMicrotask(() => this.alive && deliver());
    else setTimeout(() => this.alive && deliver(), delay);
  }
}

/** The toy's executor: one queue, hosts that pull from it. */
export class ToyExecutor implements Executor {
  readonly #host: ExecutorHost;
  readonly #init: ToWorker;
  readonly #hostCount: number;
  readonly #window: number;
  readonly #maxDelay: number;
  readonly #delayedShare: number;
  readonly #random: ReturnType<typeof seededRandom>;
  readonly #queue = new Queue<TaskUnit>();
  readonly hosts = new Set<ToyHost>();
  #mode: 'running' | 'closed' | 'stopped' = 'running';
  #nextId = 0;
  #completed = 0;
  #failed = 0;
  #exitWaiters: Array<() => void> = [];
  /** Answers delivered, in arrival order: a test checks they came out of order. */
  readonly arrivals: number[] = [];

  constructor(init: PoolInit, host: ExecutorHost, options: ToyQueueOptions) {
    this.#host = host;
    const { protocol, module, initializer, initargs } = init;
    this.#init = { type: 'init', protocol, module, initializer, initargs, progress: null, batchAnswers: false, packFrom: 0 };
    this.#hostCount = options.hosts ?? init.processes;
    this.#window = options.hostWindow ?? 1;
    this.#maxDelay = options.maxDelayMs ?? 3;
    this.#delayedShare = options.delayedShare ?? 0.02;
    this.#random = seededRandom(options.seed ?? 7);
    for (let i = 0; i < this.#hostCount; i++) this.#start();
  }

  /** A random delivery delay: mostly none (a microtask), sometimes a timer. */
  delay(): number {
    return this.#random.next() < this.#delayedShare ? this.#random.int(1, this.#maxDelay) : 0;
  }

  enqueue(unit: TaskUnit): void {
    this.#queue.push(unit);
    this.#pump();
  }

  withdraw(job: Job): void {
    this.#queue.remove((unit) => unit.job === job);
  }

  cancel(job: Job): void {
    this.withdraw(job);
    // A unit on a host cannot be recalled: the host is lost, as a killed machine would be. The
    // job's own units are dropped first (the pool rejects the job); the others are re-sent.
    for (const host of [...this.hosts]) {
      const units = [...host.units.values()];
      if (!units.some((unit) => unit.job === job)) continue;
      host.units.clear();
      this.left(host);
      const others = units.filter((unit) => unit.job !== job && unit.pending);
      if (others.length > 0) this.#queue.unshift(others);
      if (this.#mode === 'running') this.#start();
    }
    this.#pump();
  }

  clear(): void {
    this.#queue.clear();
    for (const host of this.hosts) host.units.clear();
  }

  close(): void {
    if (this.#mode !== 'running') return;
    this.#mode = 'closed';
    for (const host of [...this.hosts]) if (host.units.size === 0) host.post({ type: 'close' });
  }

  async stop(): Promise<void> {
    this.#mode = 'stopped';
    for (const host of [...this.hosts]) this.left(host);
    await this.exited();
  }

  exited(): Promise<void> {
    if (this.hosts.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  reference(): void {
    // Nothing holds the process open here but pending delivery timers.
  }

  counts(): ExecutorCounts {
    let busy = 0;
    let starting = 0;
    for (const host of this.hosts) {
      if (!host.ready) starting++;
      if (host.units.size > 0) busy++;
    }
    return { workers: this.hosts.size, starting, busy, queued: this.#queue.length, completed: this.#completed, failed: this.#failed };
  }

  /** Loses a host, as a machine dies: its units are re-sent (with retries left) or fail; a new host starts. */
  loseHost(host: ToyHost): void {
    if (!host.alive) return;
    this.left(host);
    for (const unit of host.units.values()) {
      if (!unit.pending) continue;
      if (unit.retriesLeft > 0) {
        unit.retriesLeft--;
        this.#queue.unshift([unit]);
      } else {
        this.#failed++;
        unit.settle(false, new WorkerExitError(null, 'SIGKILL'));
      }
    }
    host.units.clear();
    if (this.#mode === 'running') this.#start();
    this.#pump();
  }

  /** A host is gone (it left, or was lost or stopped). */
  left(host: ToyHost): void {
    if (!this.hosts.delete(host)) return;
    host.alive = false;
    if (this.hosts.size === 0) for (const resolve of this.#exitWaiters.splice(0)) resolve();
  }

  /** A message from a host's worker. */
  answer(host: ToyHost, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        host.ready = true;
        return this.#pump();
      case 'init-failed':
        return this.#host.broken(deserializeError(message.error));
      case 'values':
        throw new Error('the toy asked for unbatched answers');
      case 'progress':
        return host.units.get(message.id)?.progress(message.value);
      case 'memory':
        return;
      case 'ok':
      case 'error': {
        const unit = host.units.get(message.id);
        if (!unit) return;
        host.units.delete(message.id);
        this.arrivals.push(message.id);
        if (unit.pending) {
          // settle() is false for an answer past its call's deadline: the call timed out instead.
          const ok = message.type === 'ok'
            ? unit.settle(true, message.value)
            : unit.settle(false, deserializeError(message.error), message.done) && false;
          if (ok) this.#completed++;
          else this.#failed++;
        }
        if (this.#mode === 'closed' && host.units.size === 0 && this.#queue.length === 0) host.post({ type: 'close' });
        return this.#pump();
      }
    }
  }

  #start(): void {
    this.hosts.add(new ToyHost(this, this.#init));
  }

  /** Idle hosts pull: each takes units while it has room. */
  #pump(): void {
    for (const host of this.hosts) {
      while (host.ready && host.units.size < this.#window && this.#queue.length > 0) {
        const unit = this.#queue.shift()!;
        if (!unit.pending) continue;
        unit.id = this.#nextId++;
        if (this.#host.wantsStarts) this.#host.started?.(unit);
        try {
          host.post({ type: 'task', id: unit.id, kind: unit.call.kind, task: unit.call.task, args: unit.args });
        } catch (error) {
          this.#failed++;
          const cloneError = new DataCloneError(error instanceof Error ? error.message : String(error), { cause: error });
          unit.settle(false, explainCloneError(cloneError, unit.args, unit.call.kind !== TaskKind.Call));
          continue;
        }
        host.units.set(unit.id, unit);
      }
    }
  }
}
