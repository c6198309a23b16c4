/**
 * The channel executor: core's own {@link Executor} for adapters that `spawn()` one worker per
 * private channel (threads, processes, Deno, Bun, browsers, `inline()`). It starts and replaces
 * workers, hands them queued task units, routes their answers by unit id, and notices deaths.
 * @module
 */
import type { Adapter, WorkerExit } from './adapter.js';
import { batchesAnswers, carriesLarge, fairShare } from './batching.js';
import { DataCloneError, WorkerExitError } from './errors.js';
import type { Executor, ExecutorCounts, ExecutorHost, PoolInit } from './executor.js';
import type { Job, TaskUnit } from './job.js';
import { TaskKind, type FromWorker, type ToWorker } from './protocol.js';
import { Queue } from './queue.js';
import { deserializeError, type SerializedError } from './serialize-error.js';
import { Slot } from './slot.js';

/** Workers that die before they are ready this many times in a row break the pool. */
const startFailureLimit = 3;

/**
 * `running` until the pool is closed with nothing pending; then `closed` (idle workers leave and
 * are not replaced), or `stopped` once the pool stops every worker.
 */
type Mode = 'running' | 'closed' | 'stopped';

/** The pool's workers and its queue of task units. */
export class Workers implements Executor {
  readonly #adapter: Adapter;
  readonly #init: ToWorker & { type: 'init' };
  readonly #size: number;
  /** `maxTasksPerChild`, where the adapter's workers can be retired. */
  readonly #maxTasks: number | undefined;
  readonly #host: ExecutorHost;
  readonly #queue = new Queue<TaskUnit>();
  readonly #slots = new Set<Slot>();
  /** Slots that can take units, rebuilt when a worker starts, becomes ready, is stopped or exits. */
  #usable: Slot[] = [];
  #usableStale = true;
  #dispatchScheduled = false;
  #referenced = true;
  #mode: Mode = 'running';
  #startFailures = 0;
  #exitWaiters: Array<() => void> = [];
  #completed = 0;
  #failed = 0;

  /** Starts `init.processes` workers. Throws if the adapter cannot spawn one (none is left running). */
  constructor(adapter: Adapter, init: PoolInit, host: ExecutorHost) {
    this.#adapter = adapter;
    const { protocol, module, initializer, initargs } = init;
    this.#init = { type: 'init', protocol, module, initializer, initargs, progress: null, batchAnswers: batchesAnswers(adapter.supports) };
    this.#size = init.processes;
    this.#maxTasks = adapter.supports.isolation ? init.maxTasksPerChild : undefined;
    this.#host = host;
    try {
      for (let i = 0; i < this.#size; i++) this.#spawn();
    } catch (error) {
      void this.stop();
      throw error;
    }
  }

  counts(): ExecutorCounts {
    let starting = 0;
    let busy = 0;
    for (const slot of this.#slots) {
      if (slot.phase === 'starting') starting++;
      if (slot.units.length > 0 && slot.phase !== 'stopping') busy++;
    }
    return { workers: this.#slots.size, starting, busy, queued: this.#queue.length, completed: this.#completed, failed: this.#failed };
  }

  /** Queues a unit. Dispatch waits for the end of the tick, so a burst goes out as batches. */
  enqueue(unit: TaskUnit): void {
    this.#queue.push(unit);
    if (!this.#dispatchScheduled) {
      this.#dispatchScheduled = true;
      queueMicrotask(() => this.#dispatch());
    }
  }

  withdraw(job: Job): void {
    if (this.#queue.length > 0) this.#queue.remove((unit) => unit.job === job);
  }

  /**
   * Drops the job's queued units, and stops every worker holding one of its units (it is
   * replaced). A unit cannot be recalled from a worker: it may start before any recall arrives.
   * The other units such a worker held go back to the queue when it exits.
   */
  cancel(job: Job): void {
    this.withdraw(job);
    for (const slot of this.#slots) {
      if (slot.phase === 'stopping' || !slot.units.some((unit) => unit.job === job)) continue;
      for (let i = slot.units.length - 1; i >= 0; i--) {
        if (slot.units[i]!.job !== job) continue;
        slot.units.splice(i, 1);
        this.#failed++;
      }
      this.#kill(slot);
    }
  }

  clear(): void {
    this.#queue.clear();
    for (const slot of this.#slots) slot.units.length = 0;
  }

  close(): void {
    if (this.#mode !== 'running') return;
    this.#mode = 'closed';
    this.#dispatch();
  }

  async stop(): Promise<void> {
    this.#mode = 'stopped';
    for (const slot of this.#slots) slot.phase = 'stopping';
    this.#usableStale = true;
    await Promise.all([...this.#slots].map((slot) => slot.handle.terminate().catch(() => {})));
    await this.exited();
  }

  exited(): Promise<void> {
    if (this.#slots.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  reference(wanted: boolean): void {
    if (wanted === this.#referenced) return;
    this.#referenced = wanted;
    for (const slot of this.#slots) {
      if (wanted) slot.handle.ref?.();
      else slot.handle.unref?.();
    }
  }

  /** Starts one worker. Throws if the adapter cannot spawn it; nothing is registered then. */
  #spawn(): void {
    const progress = this.#adapter.supports.sharedMemory ? new Int32Array(new SharedArrayBuffer(4)) : null;
    let slot: Slot | undefined;
    // A runtime may report an exit from inside spawn(), before the slot exists: replay it after.
    const early: Array<() => void> = [];
    const handle = this.#adapter.spawn({
      message: (message) => (slot ? this.#onMessage(slot, message) : early.push(() => this.#onMessage(slot!, message))),
      exit: (exit) => (slot ? this.#onExit(slot, exit) : early.push(() => this.#onExit(slot!, exit))),
    });
    slot = new Slot(handle, progress);
    this.#slots.add(slot);
    this.#usableStale = true;
    if (!this.#referenced) handle.unref?.();
    try {
      handle.send(progress ? { ...this.#init, progress } : this.#init);
    } catch (error) {
      this.#host.broken(asCloneError(error));
    }
    for (const replay of early) replay();
  }

  /** Hands queued units to workers with room: idle workers first, then fair shares (`batching.ts`). */
  #dispatch(): void {
    this.#dispatchScheduled = false;
    if (this.#queue.length > 0) {
      if (this.#usableStale) {
        this.#usable = [...this.#slots].filter((slot) => slot.usable);
        this.#usableStale = false;
      }
      const usable = this.#usable;
      for (const slot of usable) if (slot.units.length === 0 && this.#queue.length > 0) this.#send(slot, 1);
      for (let i = 0; i < usable.length && this.#queue.length > 0; i++) {
        const room = usable[i]!.room(this.#maxTasks);
        if (room > 0) this.#send(usable[i]!, Math.min(room, fairShare(this.#queue.length, usable.length - i)));
      }
    }
    if (this.#queue.length === 0 && this.#mode === 'closed') {
      for (const slot of this.#slots) if (slot.usable && slot.units.length === 0) this.#retire(slot);
    }
  }

  /** Sends up to `count` queued units to `slot`; consecutive units of one call as one batch, if small. */
  #send(slot: Slot, count: number): void {
    const units: TaskUnit[] = [];
    while (units.length < count && this.#queue.length > 0) {
      const unit = this.#queue.shift()!;
      // A unit whose call has settled (cancelled, failed) has nobody waiting for it.
      if (unit.pending) units.push(unit);
    }
    const now = performance.now();
    for (let start = 0; start < units.length;) {
      // Units of one call go together, unless they transfer or carry large arguments.
      const { call, args } = units[start]!;
      let end = start + 1;
      if (!call.transfer && !carriesLarge(args)) while (end < units.length && units[end]!.call === call && !carriesLarge(units[end]!.args)) end++;
      if (end - start === 1 || !this.#sendBatch(slot, units, start, end, now)) {
        for (let i = start; i < end; i++) this.#sendOne(slot, units[i]!, now);
      }
      start = end;
    }
  }

  /** Sends units [start, end) of one call in one message: kind and task once, then ids and arguments. */
  #sendBatch(slot: Slot, units: TaskUnit[], start: number, end: number, now: number): boolean {
    const { kind, task } = units[start]!.call;
    let single = kind === TaskKind.Call;
    const args: unknown[] = [];
    const ids: number[] = [];
    for (let i = start; i < end; i++) {
      const unitArgs = units[i]!.args;
      if (unitArgs.length !== 1) single = false;
      args.push(unitArgs);
      ids.push(slot.sent + i - start);
    }
    // Single-argument calls go as a flat list: a fraction of the cloning.
    if (single) for (let i = 0; i < args.length; i++) args[i] = (args[i] as unknown[])[0];
    try {
      slot.handle.send({ type: 'batch', ids, kind, task, args, single });
    } catch {
      // One unit cannot be sent: the caller sends them one by one, so that it alone fails.
      return false;
    }
    for (let i = start; i < end; i++) slot.hold(units[i]!, now);
    return true;
  }

  #sendOne(slot: Slot, unit: TaskUnit, now: number): void {
    try {
      slot.handle.send({ type: 'task', id: slot.sent, kind: unit.call.kind, task: unit.call.task, args: unit.args }, unit.call.transfer);
      slot.hold(unit, now);
    } catch (error) {
      this.#failed++;
      unit.settle(false, asCloneError(error));
    }
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    // A worker the pool is stopping, or has seen exit, speaks no more: its answers are stale.
    if (slot.phase === 'stopping' || slot.phase === 'gone') return;
    switch (message.type) {
      case 'values': {
        const now = performance.now();
        const units: Array<TaskUnit | undefined> = [];
        for (const id of message.ids) units.push(this.#answer(slot, id, now));
        // Refill first: the worker gets its next units before callbacks run here.
        this.#dispatch();
        for (let i = 0; i < units.length; i++) this.#settle(units[i], true, message.values[i]);
        return;
      }
      case 'ok':
      case 'error': {
        const unit = this.#answer(slot, message.id, performance.now());
        this.#dispatch();
        if (message.type === 'ok') this.#settle(unit, true, message.value);
        else this.#settle(unit, false, message.error, message.done);
        return;
      }
      case 'ready':
        if (slot.phase !== 'starting') return;
        this.#startFailures = 0;
        slot.phase = 'ready';
        this.#usableStale = true;
        this.#dispatch();
        return;
      case 'init-failed':
        this.#host.broken(deserializeError(message.error));
        return;
    }
  }

  /** Hands an answer to its call, unless the call has settled already (cancelled, terminated). */
  #settle(unit: TaskUnit | undefined, ok: boolean, value: unknown, done?: readonly unknown[]): void {
    if (!unit?.pending) return;
    if (ok) this.#completed++;
    else this.#failed++;
    unit.settle(ok, ok ? value : deserializeError(value as SerializedError), done);
  }

  /** Takes the unit a worker has answered; retires the worker when it has done its share. */
  #answer(slot: Slot, id: number, now: number): TaskUnit | undefined {
    const unit = slot.answer(id, now);
    if (unit && this.#maxTasks !== undefined && slot.answered === this.#maxTasks) {
      this.#retire(slot);
      if (this.#mode === 'running') this.#respawn();
    }
    return unit;
  }

  #onExit(slot: Slot, exit: WorkerExit): void {
    if (slot.phase === 'gone') return;
    // One unit was running (unless the pool stopped the worker for it); the others never started,
    // or finished with their answers lost in the dying worker: they go back to the queue.
    const at = slot.runningAt();
    const was = slot.phase;
    slot.phase = 'gone';
    this.#slots.delete(slot);
    this.#usableStale = true;
    const units = slot.units.splice(0);
    const running = at >= 0 ? units.splice(at, 1)[0] : undefined;
    const unstarted = units.filter((unit) => unit.pending);
    if (unstarted.length > 0) this.#queue.unshift(unstarted);
    if (running?.pending) {
      if (running.retriesLeft > 0) {
        running.retriesLeft--;
        this.#queue.push(running);
      } else {
        this.#failed++;
        const cause = exit.error === undefined ? undefined : { cause: exit.error };
        running.settle(false, new WorkerExitError(exit.exitCode, exit.signal, cause));
      }
    }
    const wanted = this.#mode === 'running';
    if (was === 'starting' && wanted && ++this.#startFailures >= startFailureLimit) {
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode ?? 'unknown'}`;
      this.#host.broken(new Error(`${startFailureLimit} workers in a row exited before they were ready (last: ${how})`, { cause: exit.error }));
    } else if (wanted && was !== 'leaving') {
      this.#respawn();
    }
    if (this.#slots.size === 0) for (const resolve of this.#exitWaiters.splice(0)) resolve();
    this.#dispatch();
  }

  #respawn(): void {
    try {
      this.#spawn();
    } catch (error) {
      this.#host.broken(error);
    }
  }

  #retire(slot: Slot): void {
    slot.phase = 'leaving';
    this.#usableStale = true;
    slot.handle.send({ type: 'close' });
  }

  #kill(slot: Slot): void {
    slot.phase = 'stopping';
    this.#usableStale = true;
    void slot.handle.terminate().catch(() => {});
  }
}

/** A failed send is the caller's value's fault: a clone failure, or (kept as is) a bad transfer list. */
function asCloneError(error: unknown): Error {
  if (error instanceof DataCloneError || error instanceof TypeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DataCloneError(message, { cause: error });
}
