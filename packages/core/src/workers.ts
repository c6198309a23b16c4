/**
 * The supervision of workers: starting and replacing them, handing them queued task units,
 * routing their answers to the calls, and noticing their deaths. The pool above it owns the
 * state machine and the calls; this owns the workers and the queue.
 * @module
 */
import type { Adapter, WorkerExit } from './adapter.js';
import { DataCloneError, WorkerExitError } from './errors.js';
import { explainCloneError } from './hints.js';
import type { Job, TaskUnit } from './job.js';
import { TaskKind, type FromWorker, type ToWorker } from './protocol.js';
import { Queue } from './queue.js';
import { deserializeError, type SerializedError } from './serialize-error.js';
import { Slot } from './slot.js';

/** Workers that die before they are ready this many times in a row break the pool. */
const startFailureLimit = 3;

/** What the workers need to know of the pool above them. */
export interface WorkersHost {
  /** Whether a call still waits for its results (it is in the job cache). */
  pending(job: Job): boolean;
  /** Whether dead workers are replaced: the pool runs, or is closed with work left. */
  wantsWorkers(): boolean;
  /** Whether idle workers should leave: the pool is closed and nothing is left to do. */
  draining(): boolean;
  /** A worker failed to start (module, initializer, or deaths before ready): break the pool. */
  broken(cause: unknown): void;
}

/** The pool's workers and its queue of task units. */
export class Workers {
  readonly #adapter: Adapter;
  readonly #init: ToWorker;
  /** `maxTasksPerChild`, where the adapter's workers can be retired. */
  readonly #maxTasks: number | undefined;
  readonly #host: WorkersHost;
  readonly #queue = new Queue<TaskUnit>();
  readonly #slots = new Set<Slot>();
  /** Slots that can take units, rebuilt when a worker starts, becomes ready, is stopped or exits. */
  #usable: Slot[] = [];
  #usableStale = true;
  #dispatchScheduled = false;
  #referenced = true;
  #startFailures = 0;
  #exitWaiters: Array<() => void> = [];
  /** Units that succeeded, and that failed. */
  completed = 0;
  failed = 0;

  constructor(adapter: Adapter, init: ToWorker, maxTasks: number | undefined, host: WorkersHost) {
    this.#adapter = adapter;
    this.#init = init;
    this.#maxTasks = adapter.isolated ? maxTasks : undefined;
    this.#host = host;
  }

  /** Live workers, counted by what they are doing. */
  counts(): { workers: number; starting: number; busy: number; queued: number } {
    let starting = 0;
    let busy = 0;
    for (const slot of this.#slots) {
      if (slot.phase === 'starting') starting++;
      if (slot.units.length > 0 && slot.phase !== 'stopping') busy++;
    }
    return { workers: this.#slots.size, starting, busy, queued: this.#queue.length };
  }

  /** Starts one worker. Throws if the adapter cannot spawn it. */
  spawn(): void {
    const slot = new Slot();
    this.#slots.add(slot);
    this.#usableStale = true;
    slot.handle = this.#adapter.spawn({
      message: (message) => this.#onMessage(slot, message),
      exit: (exit) => this.#onExit(slot, exit),
    });
    if (!this.#referenced) slot.handle.unref?.();
    if (this.#adapter.sharesMemory) slot.progress = new Int32Array(new SharedArrayBuffer(4));
    try {
      slot.handle.send({ ...this.#init, progress: slot.progress } as ToWorker);
    } catch (error) {
      this.#host.broken(asCloneError(error));
    }
  }

  /** Queues a unit. Dispatch waits for the end of the tick, so a burst goes out as batches. */
  enqueue(unit: TaskUnit): void {
    this.#queue.push(unit);
    if (!this.#dispatchScheduled) {
      this.#dispatchScheduled = true;
      queueMicrotask(() => this.dispatch());
    }
  }

  /** Drops a call's queued units. */
  withdraw(job: Job): void {
    if (this.#queue.length > 0) this.#queue.remove((unit) => unit.job === job);
  }

  /**
   * Stops a call's work: drops its queued units, and stops every worker holding one of its units
   * (it is replaced). A unit cannot be recalled from a worker: it may start before any recall
   * arrives. The other units such a worker held go back to the queue when it exits.
   */
  cancel(job: Job): void {
    this.withdraw(job);
    for (const slot of this.#slots) {
      if (slot.phase === 'stopping' || !slot.units.some((unit) => unit.job === job)) continue;
      for (let i = slot.units.length - 1; i >= 0; i--) {
        if (slot.units[i]!.job !== job) continue;
        slot.units.splice(i, 1);
        this.failed++;
      }
      this.#kill(slot);
    }
  }

  /** Forgets every queued and held unit (the pool is failing every call). */
  clear(): void {
    this.#queue.clear();
    for (const slot of this.#slots) slot.units.length = 0;
  }

  /** Stops every worker now; resolves once all have exited. */
  async stop(): Promise<void> {
    for (const slot of this.#slots) slot.phase = 'stopping';
    this.#usableStale = true;
    await Promise.all([...this.#slots].map((slot) => slot.handle.terminate().catch(() => {})));
    await this.exited();
  }

  /** Resolves once no worker is left. */
  exited(): Promise<void> {
    if (this.#slots.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  /** Whether workers may hold the host process open (they have work, or someone waits for them). */
  reference(wanted: boolean): void {
    if (wanted === this.#referenced) return;
    this.#referenced = wanted;
    for (const slot of this.#slots) {
      if (wanted) slot.handle.ref?.();
      else slot.handle.unref?.();
    }
  }

  /** Hands queued units to workers with room: idle workers first, then fair shares. */
  dispatch(): void {
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
        const share = Math.ceil(this.#queue.length / (usable.length - i));
        if (room > 0) this.#send(usable[i]!, Math.min(room, share));
      }
    }
    if (this.#queue.length === 0 && this.#host.draining()) {
      for (const slot of this.#slots) if (slot.usable && slot.units.length === 0) this.#retire(slot);
    }
  }

  /** Sends up to `count` queued units to `slot`; consecutive units of one call as one batch. */
  #send(slot: Slot, count: number): void {
    const units: TaskUnit[] = [];
    while (units.length < count && this.#queue.length > 0) {
      const unit = this.#queue.shift()!;
      // A unit whose call was cancelled before it was queued has nobody waiting for it.
      if (this.#host.pending(unit.job)) units.push(unit);
    }
    const now = performance.now();
    for (let start = 0; start < units.length;) {
      let end = start + 1;
      while (end < units.length && units[end]!.call === units[start]!.call && !units[start]!.call.transfer) end++;
      if (end - start === 1 || !this.#sendBatch(slot, units, start, end, now)) {
        for (let i = start; i < end; i++) this.#sendOne(slot, units[i]!, now);
      }
      start = end;
    }
  }

  /** Sends units [start, end) of one call in one message: kind and task once, then the arguments. */
  #sendBatch(slot: Slot, units: TaskUnit[], start: number, end: number, now: number): boolean {
    const { kind, task } = units[start]!.call;
    let single = kind === TaskKind.Call;
    const args: unknown[] = [];
    for (let i = start; i < end; i++) {
      const unitArgs = units[i]!.args;
      if (unitArgs.length !== 1) single = false;
      args.push(unitArgs);
    }
    // Single-argument calls go as a flat list: a fraction of the cloning.
    if (single) for (let i = 0; i < args.length; i++) args[i] = (args[i] as unknown[])[0];
    try {
      slot.handle.send({ type: 'batch', kind, task, args, single });
    } catch {
      // One unit cannot be sent: the caller sends them one by one, so that it alone fails.
      return false;
    }
    for (let i = start; i < end; i++) slot.hold(units[i]!, now);
    return true;
  }

  #sendOne(slot: Slot, unit: TaskUnit, now: number): void {
    try {
      slot.handle.send({ type: 'task', kind: unit.call.kind, task: unit.call.task, args: unit.args }, unit.call.transfer);
      slot.hold(unit, now);
    } catch (error) {
      this.failed++;
      unit.job.accept(unit.index, false, explainCloneError(asCloneError(error), unit.args, unit.call.kind !== TaskKind.Call));
    }
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    // A worker the pool is stopping, or has seen exit, speaks no more: its answers are stale.
    if (slot.phase === 'stopping' || slot.phase === 'gone') return;
    switch (message.type) {
      case 'values': {
        const now = performance.now();
        const units: TaskUnit[] = [];
        for (let i = 0; i < message.values.length; i++) units.push(this.#answer(slot, now)!);
        // Refill first: the worker gets its next units before callbacks run here.
        this.dispatch();
        for (let i = 0; i < units.length; i++) this.#settle(units[i], true, message.values[i]);
        return;
      }
      case 'ok':
      case 'error': {
        const unit = this.#answer(slot, performance.now());
        this.dispatch();
        if (message.type === 'ok') this.#settle(unit, true, message.value);
        else this.#settle(unit, false, message.error, message.done);
        return;
      }
      case 'ready':
        if (slot.phase !== 'starting') return;
        this.#startFailures = 0;
        slot.phase = 'ready';
        this.#usableStale = true;
        this.dispatch();
        return;
      case 'init-failed':
        this.#host.broken(deserializeError(message.error));
        return;
    }
  }

  /** Hands an answer to its call, unless the call has settled already (cancelled, terminated). */
  #settle(unit: TaskUnit | undefined, ok: boolean, value: unknown, done?: readonly unknown[]): void {
    if (!unit || !this.#host.pending(unit.job)) return;
    if (ok) {
      this.completed++;
      unit.job.accept(unit.index, true, value);
    } else {
      this.failed++;
      unit.job.accept(unit.index, false, deserializeError(value as SerializedError), done);
    }
  }

  /** Takes the unit a worker has answered; retires the worker when it has done its share. */
  #answer(slot: Slot, now: number): TaskUnit | undefined {
    const unit = slot.answer(now);
    if (unit && this.#maxTasks !== undefined && slot.answered === this.#maxTasks) {
      this.#retire(slot);
      if (this.#host.wantsWorkers()) this.#respawn();
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
    const unstarted = units.filter((unit) => this.#host.pending(unit.job));
    if (unstarted.length > 0) this.#queue.unshift(unstarted);
    if (running && this.#host.pending(running.job)) {
      if (running.retriesLeft > 0) {
        running.retriesLeft--;
        this.#queue.push(running);
      } else {
        this.failed++;
        const cause = exit.error === undefined ? undefined : { cause: exit.error };
        running.job.accept(running.index, false, new WorkerExitError(exit.exitCode, exit.signal, cause));
      }
    }
    const wanted = this.#host.wantsWorkers();
    if (was === 'starting' && wanted && ++this.#startFailures >= startFailureLimit) {
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode ?? 'unknown'}`;
      this.#host.broken(new Error(`${startFailureLimit} workers in a row exited before they were ready (last: ${how})`, { cause: exit.error }));
    } else if (wanted && was !== 'leaving') {
      this.#respawn();
    }
    if (this.#slots.size === 0) for (const resolve of this.#exitWaiters.splice(0)) resolve();
    this.dispatch();
  }

  #respawn(): void {
    try {
      this.spawn();
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
