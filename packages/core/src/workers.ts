/**
 * The channel executor: core's own {@link Executor} for adapters that `spawn()` one worker per
 * private channel (threads, processes, Deno, Bun, browsers, `inline()`). It starts and replaces
 * workers, hands them queued task units, routes their answers by unit id, and notices deaths.
 * @module
 */
import type { Adapter, WorkerExit } from './adapter.js';
import { batchesAnswers, fairShare } from './batching.js';
import { WorkerExitError } from './errors.js';
import { explainCloneError } from './hints.js';
import type { Executor, ExecutorCounts, ExecutorHost, PoolInit } from './executor.js';
import type { Job, TaskUnit } from './job.js';
import { WorkerLog, type ExitReason, type PoolMetrics } from './metrics.js';
import { TaskKind, type FromWorker, type ToWorker } from './protocol.js';
import { Queue } from './queue.js';
import { progressArray, takeBack } from './recall.js';
import { asCloneError, sendUnits } from './send.js';
import { deserializeError, type SerializedError } from './serialize-error.js';
import { Sizing, unref } from './sizing.js';
import { Slot } from './slot.js';
import { initFailure, StartupPolicy } from './startup.js';

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
  readonly #startup = new StartupPolicy();
  #respawnTimer: unknown;
  #exitWaiters: Array<() => void> = [];
  #completed = 0;
  #failed = 0;
  /** Dynamic size, if asked for (`init.sizing`). */
  readonly #sizing: Sizing | undefined;
  /** `maxLifetime` and `cancelGrace`, in ms (0: none). */
  readonly #maxLifetime: number;
  readonly #grace: number;
  /** Unit timings (where asked for) and exits, for `metrics()`. */
  readonly #log: WorkerLog;
  #spawned = 0;

  /** Starts `init.processes` workers (`sizing.min` if sized dynamically). Throws if the adapter cannot spawn one. */
  constructor(adapter: Adapter, init: PoolInit, host: ExecutorHost) {
    this.#adapter = adapter;
    const { protocol, module, initializer, initargs, sizing, maxMemoryPerChild } = init;
    this.#init = {
      type: 'init', protocol, module, initializer, initargs, progress: null, batchAnswers: batchesAnswers(adapter.supports),
      ...(maxMemoryPerChild !== undefined && { memoryLimit: maxMemoryPerChild }),
    };
    this.#size = init.processes;
    this.#maxTasks = adapter.supports.isolation ? init.maxTasksPerChild : undefined;
    this.#maxLifetime = adapter.supports.isolation ? (init.maxLifetime ?? 0) : 0;
    this.#grace = init.cancelGrace ?? 0;
    this.#log = new WorkerLog(init.timings === true);
    this.#sizing = sizing && new Sizing(sizing.min, init.processes, sizing.idleTimeout, (slot) => this.#retire(slot, 'idle'), () => (this.#mode === 'running' ? this.#slots : []));
    this.#host = host;
    try {
      for (let i = 0; i < (this.#sizing?.min ?? this.#size); i++) this.#spawn();
    } catch (error) {
      void this.stop();
      throw error;
    }
  }

  counts(): ExecutorCounts {
    let starting = 0;
    let busy = 0;
    // Units a worker holds but has not started are waiting as much as the queue's are.
    let held = 0;
    for (const slot of this.#slots) {
      if (slot.phase === 'starting') starting++;
      if (slot.phase === 'stopping') continue;
      const at = slot.runningAt();
      if (at >= 0) busy++;
      // Held units of a cancelled call (recalled, waiting for the worker to skip them) wait for nobody.
      for (let i = 0; i < slot.units.length; i++) if (i !== at && slot.units[i]!.pending) held++;
    }
    return { workers: this.#slots.size, starting, busy, queued: this.#queue.length + held, completed: this.#completed, failed: this.#failed };
  }

  metrics(): PoolMetrics {
    return this.#log.metrics(this.#slots);
  }

  /** Queues a unit. Dispatch waits for the end of the tick, so a burst goes out as batches. */
  enqueue(unit: TaskUnit): void {
    if (this.#log.timings) unit.queuedAt = performance.now();
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
   * Drops the job's queued units, and takes back the ones workers hold. Where memory is shared,
   * a unit a worker has not started is recalled (`recall.ts`): the worker skips it and carries
   * on. A unit it may have started costs the worker (stopped, and replaced), after `cancelGrace`
   * ms in which the task's `signal()` is aborted and it may stop on its own. The units stay held
   * until the worker answers them (as cancelled) or exits; their answers are dropped.
   */
  cancel(job: Job): void {
    this.withdraw(job);
    for (const slot of this.#slots) {
      if (slot.phase === 'stopping' || !slot.units.some((unit) => unit.job === job)) continue;
      this.#failed += takeBack(slot, job, this.#grace, (dying) => this.#kill(dying));
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
    clearTimeout(this.#respawnTimer);
    this.#respawnTimer = undefined;
    this.#sizing?.stop();
    for (const slot of this.#slots) {
      slot.phase = 'stopping';
      slot.reason = 'stopped';
    }
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
    const progress = this.#adapter.supports.sharedMemory ? progressArray() : null;
    let slot: Slot | undefined;
    // A runtime may report an exit from inside spawn(), before the slot exists: replay it after.
    const early: Array<() => void> = [];
    const handle = this.#adapter.spawn({
      message: (message) => (slot ? this.#onMessage(slot, message) : early.push(() => this.#onMessage(slot!, message))),
      exit: (exit) => (slot ? this.#onExit(slot, exit) : early.push(() => this.#onExit(slot!, exit))),
    });
    slot = new Slot(++this.#spawned, handle, progress);
    this.#slots.add(slot);
    this.#started(slot);
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
    // Room comes when units leave the queue and when workers answer (held units count as queued).
    if (this.#host.wantsRoom) this.#host.dequeued?.();
    if (this.#queue.length === 0 && this.#mode === 'closed') {
      for (const slot of this.#slots) if (slot.usable && slot.units.length === 0) this.#retire(slot, 'closed');
    }
    if (this.#sizing && this.#mode === 'running') this.#resize();
  }

  /** Dynamic size: start workers for waiting units, up to the maximum; note the idle ones. */
  #resize(): void {
    const sizing = this.#sizing!;
    if (this.#usableStale) {
      this.#usable = [...this.#slots].filter((slot) => slot.usable);
      this.#usableStale = false;
    }
    const more = sizing.more(this.#usable.length, this.#queue.length);
    if (more > 0) {
      const before = this.#slots.size;
      for (let i = 0; i < more; i++) this.#respawn();
      // The new workers take their first units right behind init.
      if (this.#slots.size > before) this.#dispatch();
      return;
    }
    sizing.noteIdle(this.#usable, this.#usable.length, performance.now());
  }

  /** Sends up to `count` queued units to `slot`; consecutive units of one call as one batch, if small. */
  #send(slot: Slot, count: number): void {
    const units: TaskUnit[] = [];
    while (units.length < count && this.#queue.length > 0) {
      const unit = this.#queue.shift()!;
      // A unit whose call has settled (cancelled, failed) has nobody waiting for it.
      if (unit.pending) units.push(unit);
    }
    if (this.#host.wantsStarts) for (const unit of units) this.#host.started?.(unit);
    sendUnits(slot, units, performance.now(), this.#sendFailed);
  }

  /** A unit that could not be sent fails alone. */
  readonly #sendFailed = (unit: TaskUnit, error: unknown): void => {
    this.#failed++;
    unit.settle(false, explainCloneError(asCloneError(error), unit.args, unit.call.kind !== TaskKind.Call));
  };

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
        this.#startup.ready();
        slot.phase = 'ready';
        this.#usableStale = true;
        this.#host.worker?.({ type: 'ready', worker: slot.id });
        this.#dispatch();
        return;
      case 'progress':
        return this.#progress(slot, message.id, message.value);
      case 'memory':
        return this.#recycle(slot, 'memory');
      case 'init-failed': {
        const error = deserializeError(message.error);
        this.#host.broken(error, initFailure(message.stage, error));
        return;
      }
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
    if (!unit) return unit;
    if (this.#log.timings && unit.queuedAt > 0) this.#log.answered(unit, slot, now);
    if (this.#maxTasks !== undefined && slot.answered === this.#maxTasks) this.#recycle(slot, 'tasks');
    else if (slot.phase === 'leaving' && slot.units.length === 0) slot.handle.send({ type: 'close' });
    return unit;
  }

  /** Routes a task's `progress(value)` to its call. */
  #progress(slot: Slot, id: number, value: unknown): void {
    const unit = slot.units[0]?.id === id ? slot.units[0] : slot.units.find((held) => held.id === id);
    unit?.progress(value);
  }

  /**
   * Retires a worker that has done its share (`maxTasksPerChild`, `maxMemoryPerChild`,
   * `maxLifetime`): it takes no more units and leaves once it has answered those it holds; its
   * replacement starts now, so the pool keeps its size throughout.
   */
  #recycle(slot: Slot, reason: ExitReason): void {
    if (!slot.usable) return;
    this.#retire(slot, reason);
    if (this.#mode !== 'running') return;
    // A dynamic pool replaces it only if it would fall below its minimum, or work is waiting.
    if (!this.#sizing || this.#queue.length > 0 || [...this.#slots].filter((held) => held.usable).length < this.#sizing.min) this.#respawn();
  }

  /** A worker has been registered: say so, and arm its `maxLifetime`. */
  #started(slot: Slot): void {
    this.#host.worker?.({ type: 'started', worker: slot.id });
    if (this.#maxLifetime > 0) {
      slot.lifetime = setTimeout(() => this.#recycle(slot, 'lifetime'), this.#maxLifetime);
      unref(slot.lifetime);
    }
  }

  /** A worker has left: keep the record, and say so. */
  #exited(slot: Slot, exit: WorkerExit): void {
    if (slot.lifetime !== undefined) clearTimeout(slot.lifetime);
    this.#host.worker?.({ type: 'exited', worker: slot.id, exit: this.#log.exited(slot, exit) });
  }

  #onExit(slot: Slot, exit: WorkerExit): void {
    if (slot.phase === 'gone') return;
    // One unit was running (unless the pool stopped the worker for it); the others never started,
    // or finished with their answers lost in the dying worker: they go back to the queue.
    const at = slot.runningAt();
    const was = slot.phase;
    slot.phase = 'gone';
    this.#slots.delete(slot);
    this.#exited(slot, exit);
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
    if (wanted && was === 'starting') {
      const verdict = this.#startup.died(exit);
      if (verdict.action === 'break') this.#host.broken(verdict.cause, verdict.message);
      else if (verdict.action === 'wait') this.#respawnLater(verdict.ms);
      else this.#respawn();
    } else if (wanted && was !== 'leaving' && (!this.#sizing || this.#slots.size < this.#sizing.min)) {
      this.#respawn();
    }
    if (this.#slots.size === 0) for (const resolve of this.#exitWaiters.splice(0)) resolve();
    this.#dispatch();
  }

  /** Replaces workers killed from outside while they started, after a back-off (`startup.ts`). */
  #respawnLater(ms: number): void {
    if (this.#respawnTimer !== undefined) return;
    this.#respawnTimer = setTimeout(() => {
      this.#respawnTimer = undefined;
      // As many workers as the pool keeps: one timer may stand for several deaths.
      const target = this.#sizing ? this.#sizing.min : this.#size;
      while (this.#mode === 'running' && this.#slots.size < target) this.#respawn();
      this.#dispatch();
    }, ms);
  }

  #respawn(): void {
    try {
      this.#spawn();
    } catch (error) {
      this.#host.broken(error);
    }
  }

  /** Asks a worker to leave once it has answered what it holds; it takes no more units. */
  #retire(slot: Slot, reason: ExitReason): void {
    slot.phase = 'leaving';
    slot.reason = reason;
    this.#usableStale = true;
    if (slot.units.length === 0) slot.handle.send({ type: 'close' });
  }

  #kill(slot: Slot): void {
    slot.phase = 'stopping';
    slot.reason = 'cancelled';
    this.#usableStale = true;
    void slot.handle.terminate().catch(() => {});
  }
}
