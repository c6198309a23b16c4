/**
 * The channel executor: core's own {@link Executor} for adapters that `spawn()` one worker per
 * private channel (threads, processes, Deno, Bun, browsers, `inline()`). It starts and replaces
 * workers, hands them queued task units, routes their answers by unit id, and notices deaths.
 * @module
 */
import type { Adapter, WorkerExit } from './adapter.js';
import { fairShare } from './batching.js';
import { WorkerExitError } from './errors.js';
import { isolating, Suspects } from './isolation.js';
import type { Executor, ExecutorCounts, ExecutorHost, PoolInit } from './executor.js';
import type { Job, TaskUnit } from './job.js';
import { WorkerLog, type PoolMetrics } from './metrics.js';
import type { FromWorker } from './protocol.js';
import { microtask } from './microtask.js';
import { takeBack } from './recall.js';
import { Roster } from './roster.js';
import { answered, packFrom } from './segments.js';
import { sendUnits } from './send.js';
import { movedAway } from './transfer.js';
import { deserializeError, type SerializedError } from './serialize-error.js';
import type { Slot } from './slot.js';
import { initFailure } from './startup.js';
import { UnitQueue } from './unit-queue.js';

/** The pool's queue of task units, and the workers (`roster.ts`) they go to. */
export class Workers implements Executor {
  readonly #host: ExecutorHost;
  readonly #queue = new UnitQueue();
  /** Units a worker held when it died, not knowing which it ran: they run one at a time. */
  readonly #suspects = new Suspects();
  readonly #roster: Roster;
  /** `maxTasksPerChild`, where the adapter's workers can be retired. */
  readonly #maxTasks: number | undefined;
  readonly #grace: number; // `cancelGrace`, in ms (0: none)
  readonly #log: WorkerLog; // unit timings (where asked for) and exits, for `metrics()`
  readonly #segmenting: boolean; // where values are cloned, long chunks cross in segments (`segments.ts`)
  readonly packFrom: number; // map chunks of this many numbers or more cross packed, both ways (`segments.ts`)
  #dispatchScheduled = false;
  #completed = 0;
  #failed = 0;

  /** Starts `init.processes` workers (`sizing.min` if sized dynamically). Throws if the adapter cannot spawn one. */
  constructor(adapter: Adapter, init: PoolInit, host: ExecutorHost) {
    const { protocol, module, initializer, initargs, sizing, maxMemoryPerChild } = init;
    const isolated = adapter.supports.isolation;
    this.#host = host;
    this.#maxTasks = isolated ? init.maxTasksPerChild : undefined;
    this.#grace = init.cancelGrace ?? 0;
    this.#segmenting = adapter.supports.cloning;
    this.#log = new WorkerLog(init.timings === true);
    this.packFrom = packFrom(adapter.supports);
    const hello = {
      type: 'init' as const, protocol, module, initializer, initargs, progress: null, batchAnswers: true, packFrom: this.packFrom,
      ...(maxMemoryPerChild !== undefined && { memoryLimit: maxMemoryPerChild }),
    };
    const options = { size: init.processes, maxTasks: this.#maxTasks, maxLifetime: isolated ? (init.maxLifetime ?? 0) : 0, sizing, startTimeout: init.startTimeout ?? 0 };
    this.#roster = new Roster(adapter, hello, options, host, {
      message: (slot, message) => this.#onMessage(slot, message),
      lost: (slot, exit, units, running) => this.#lost(slot, exit, units, running),
      expired: (slot) => this.#roster.recycle(slot, 'lifetime', this.#waiting()),
      changed: () => this.#dispatch(),
    }, this.#log);
    this.#roster.start();
  }

  counts(): ExecutorCounts {
    let starting = 0;
    let busy = 0;
    let held = 0; // units a worker holds but has not started wait as much as the queue's do
    const slots = this.#roster.slots;
    for (const slot of slots) {
      if (slot.phase === 'starting') starting++;
      if (slot.phase === 'stopping') continue;
      const at = slot.runningAt();
      if (at >= 0) busy++;
      // A worker that runs nothing yet starts its first unit next: that one waits behind nothing
      // (as a unit a process holds alone, or an inline call). Held units of a cancelled call
      // (recalled, waiting for the worker to skip them) wait for nobody.
      const next = Math.max(at, 0);
      for (let i = 0; i < slot.units.length; i++) if (i !== next && slot.units[i]!.pending) held++;
    }
    return { workers: slots.size, starting, busy, queued: this.#waiting() + held, completed: this.#completed, failed: this.#failed };
  }

  metrics(): PoolMetrics {
    return this.#log.metrics(this.#roster.slots);
  }

  /** Queues a unit, or hands it at once to a worker holding nothing; dispatch waits for the end of the tick, so a burst goes out as batches. */
  enqueue(unit: TaskUnit): void {
    if (this.#log.timings) unit.queuedAt = performance.now();
    if (unit.pending && this.#queue.length === 0 && this.#suspects.waiting.length === 0) {
      for (const slot of this.#roster.usable()) if (slot.units.length === 0) return this.#deliver(slot, [unit]);
    }
    this.#queue.push(unit);
    if (!this.#dispatchScheduled) {
      this.#dispatchScheduled = true;
      microtask(() => this.#dispatch());
    }
  }

  withdraw(job: Job): void {
    this.#queue.withdraw(job);
    this.#suspects.remove(job);
  }

  /**
   * Drops the job's queued units, and takes back the ones workers hold (`recall.ts`): where memory
   * is shared, one not started is skipped; one that may have started costs its worker, after
   * `cancelGrace` ms in which its `signal()` aborts. Held units' answers are dropped.
   */
  cancel(job: Job): void {
    this.withdraw(job);
    for (const slot of this.#roster.slots) {
      if (slot.phase === 'stopping' || !slot.units.some((unit) => unit.job === job)) continue;
      this.#failed += takeBack(slot, job, this.#grace, (dying) => this.#roster.kill(dying));
    }
  }

  clear(): void {
    this.#queue.clear();
    this.#suspects.clear();
    for (const slot of this.#roster.slots) slot.units.length = 0;
  }

  close(): void {
    if (this.#roster.close()) this.#dispatch();
  }

  stop(): Promise<void> {
    return this.#roster.stop();
  }

  exited(): Promise<void> {
    return this.#roster.exited();
  }

  reference(wanted: boolean): void {
    this.#roster.reference(wanted);
  }

  /** Units waiting for a worker: queued, and suspects. */
  #waiting(): number {
    this.#queue.sweep();
    return this.#queue.length + this.#suspects.waiting.length;
  }

  /**
   * Hands waiting units to workers with room: suspects first, each alone to a worker holding
   * nothing (`isolation.ts`), and nothing else while any waits; then queued units, idle workers
   * first, then fair shares (`batching.ts`).
   */
  #dispatch(): void {
    this.#dispatchScheduled = false;
    this.#queue.sweep();
    const roster = this.#roster;
    const queue = this.#queue;
    const suspects = this.#suspects;
    if (suspects.waiting.length > 0) suspects.isolate(roster.usable(), this.#maxTasks, (slot, unit) => this.#deliver(slot, [unit]));
    // While suspects wait, workers take nothing else, so that they empty and can take one.
    if (queue.length > 0 && suspects.waiting.length === 0) {
      const usable = roster.usable();
      for (const slot of usable) if (slot.usable && slot.units.length === 0 && queue.length > 0) this.#send(slot, 1);
      for (let i = 0; i < usable.length && queue.length > 0; i++) {
        const slot = usable[i]!;
        // A worker running a suspect takes nothing else: if it dies, the suspect alone is to blame.
        const room = isolating(slot) ? 0 : slot.room(this.#maxTasks);
        if (room > 0) this.#send(slot, Math.min(room, fairShare(queue.length, usable.length - i)));
      }
    }
    // Room comes when units leave the queue and when workers answer (held units count as queued).
    if (this.#host.wantsRoom) this.#host.dequeued?.();
    const waiting = this.#waiting();
    if (waiting === 0) roster.drained();
    // The new workers of a dynamic pool take their first units right behind init.
    if (roster.sizing && roster.mode === 'running' && roster.resize(waiting)) this.#dispatch();
  }

  /** Sends up to `count` queued units to `slot`; consecutive units of one task as one batch, if small. */
  #send(slot: Slot, count: number): void {
    const units: TaskUnit[] = [];
    while (units.length < count && this.#queue.length > 0) {
      const unit = this.#queue.shift()!;
      // A unit whose call has settled (cancelled, failed) has nobody waiting for it.
      if (unit.pending) units.push(unit);
    }
    this.#deliver(slot, units);
  }

  /** Sends `units` to `slot` (their calls start), and retires it if that was its share. */
  #deliver(slot: Slot, units: TaskUnit[]): void {
    if (this.#host.wantsStarts) for (const unit of units) this.#host.started?.(unit);
    sendUnits(slot, units, performance.now(), this.#segmenting, this.#sendFailed);
    this.#retireIfDone(slot);
  }

  /** Under `maxTasksPerChild`, a worker that has been sent (most of) its share is replaced (`roster.ts`); a starting one waits until ready. */
  #retireIfDone(slot: Slot): void {
    if (this.#maxTasks !== undefined && slot.phase === 'ready') this.#roster.retireAfter(slot, this.#waiting());
  }

  /** A unit that could not be sent fails alone (`send.ts` says why). */
  readonly #sendFailed = (unit: TaskUnit, error: Error): void => {
    this.#failed++;
    unit.settle(false, error);
  };

  #onMessage(slot: Slot, message: FromWorker): void {
    // A worker the pool is stopping, or has seen exit, speaks no more: its answers are stale.
    if (slot.phase === 'stopping' || slot.phase === 'gone') return;
    // Not the protocol's: a task posted on the worker's own channel (`parentPort`, `self`).
    if (typeof message !== 'object' || message === null) return;
    switch (message.type) {
      case 'ok':
      case 'values': {
        // One answer or several, for consecutive ids from `message.id`.
        const count = message.type === 'ok' ? 1 : message.values.length;
        const now = performance.now();
        const units: Array<TaskUnit | undefined> = [];
        for (let i = 0; i < count; i++) units.push(this.#answer(slot, message.id + i, now));
        // Refill first: the worker gets its next units before callbacks run here.
        this.#dispatch();
        for (let i = 0; i < count; i++) this.#settle(units[i], true, message.type === 'values' ? message.values[i] : answered(message));
        return;
      }
      case 'error': {
        const unit = this.#answer(slot, message.id, performance.now());
        this.#dispatch();
        this.#settle(unit, false, message.error, message.done);
        return;
      }
      case 'ready':
        this.#roster.ready(slot);
        this.#retireIfDone(slot);
        this.#dispatch();
        return;
      case 'progress':
        slot.find(message.id)?.progress(message.value); // a task's `progress(value)`, to its call
        return;
      case 'memory':
        this.#roster.recycle(slot, 'memory', this.#waiting());
        return;
      case 'returned':
        // Units held behind a slow one: back to the queue's head, for whichever worker is free.
        this.#queue.unshift(slot.giveBack(message.ids, message.ms, message.stalled));
        this.#roster.leaveIfDone(slot);
        this.#dispatch();
        return;
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
    // Past its call's deadline the answer times the call out instead (`settle` is false): a
    // failure, as is a unit whose worker its timeout stopped.
    if (unit.settle(ok, ok ? value : deserializeError(value as SerializedError), done) && ok) this.#completed++;
    else this.#failed++;
  }

  /** Takes the unit a worker has answered; a retiring worker is told to leave once it holds nothing. */
  #answer(slot: Slot, id: number, now: number): TaskUnit | undefined {
    const unit = slot.answer(id, now);
    if (!unit) return unit;
    // Answered: a suspect is cleared (its answer may still be an error of its own).
    unit.suspect = false;
    if (this.#log.timings && unit.queuedAt > 0) this.#log.answered(unit, slot, now);
    this.#roster.leaveIfDone(slot);
    return unit;
  }

  /** A worker has gone: its units go back to the queue or under suspicion (`isolation.ts`); one out of retries fails. */
  #lost(slot: Slot, exit: WorkerExit, units: TaskUnit[], at: number): void {
    const cause = exit.error === undefined ? undefined : { cause: exit.error };
    const fail = (unit: TaskUnit): void => {
      this.#failed++;
      unit.settle(false, new WorkerExitError(exit.exitCode, exit.signal, cause));
    };
    // What a unit transferred went with the worker: it cannot run again, started or not.
    if (units.some((unit) => movedAway(unit.call.transfer))) {
      const running = units[at];
      for (const unit of units) if (unit.pending && movedAway(unit.call.transfer)) fail(unit);
      units = units.filter((unit) => unit.pending);
      at = running?.pending ? units.indexOf(running) : -1;
    }
    const failing = this.#suspects.afterDeath(units, at, slot.progress !== null, this.#queue, exit.unattributed);
    if (failing) fail(failing);
  }
}
