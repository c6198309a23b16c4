/**
 * The channel executor's workers: starting them, replacing the dead, retiring those that have done
 * their share (tasks, memory, lifetime, idleness), stopping them all. What a worker says and the
 * units it leaves behind when it dies go to the executor (`workers.ts`), which owns the queue.
 * @module
 */
import type { Adapter, WorkerExit } from './adapter.js';
import type { ExecutorHost } from './executor.js';
import type { TaskUnit } from './job.js';
import type { ExitReason, WorkerLog } from './metrics.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { progressArray } from './recall.js';
import { asCloneError } from './send.js';
import { Sizing } from './sizing.js';
import { Relief } from './relief.js';
import { Slot } from './slot.js';
import { initUnsendable, StartupPolicy, startTimedOut } from './startup.js';

/** `running`; `closed` once the pool is closed with nothing pending (idle workers leave, not replaced); `stopped` once it stops them all. */
export type Mode = 'running' | 'closed' | 'stopped';

/** What the roster tells its executor. */
export interface RosterEvents {
  /** A worker spoke. */
  message(slot: Slot, message: FromWorker): void;
  /** A worker has gone; `running` is the index of the unit it was running in `units`, or -1. */
  lost(slot: Slot, exit: WorkerExit, units: TaskUnit[], running: number): void;
  /** A worker reached its `maxLifetime`. */
  expired(slot: Slot): void;
  /** Workers came or went: units may be dispatched. */
  changed(): void;
}

/** How many workers, and when to retire them. */
export interface RosterOptions {
  size: number;
  /** `maxLifetime` in ms (0: none). */
  maxLifetime: number;
  sizing: { min: number; idleTimeout: number } | undefined;
  /** `maxTasksPerChild`, where the adapter's workers can be retired. */
  maxTasks: number | undefined;
  /** `startTimeout` in ms (0: none). */
  startTimeout: number;
}

/** The pool's workers. */
export class Roster {
  readonly slots = new Set<Slot>();
  #mode: Mode = 'running';
  /** Dynamic size, if asked for. */
  readonly sizing: Sizing | undefined;
  readonly #adapter: Adapter;
  readonly #init: ToWorker & { type: 'init' };
  readonly #options: RosterOptions;
  readonly #host: ExecutorHost;
  readonly #events: RosterEvents;
  readonly #log: WorkerLog;
  readonly #startup = new StartupPolicy();
  /** Slots that can take units, rebuilt when a worker starts, becomes ready, is stopped or exits. */
  #usable: Slot[] = [];
  #usableStale = true;
  #referenced = true;
  #respawnTimer: unknown;
  #exitWaiters: Array<() => void> = [];
  #spawned = 0;
  /** Replacements started ahead (`relief.ts`), where workers retire after a share of tasks or a lifetime. */
  readonly #relief: Relief | undefined;

  constructor(adapter: Adapter, init: ToWorker & { type: 'init' }, options: RosterOptions, host: ExecutorHost, events: RosterEvents, log: WorkerLog) {
    this.#adapter = adapter;
    this.#init = init;
    this.#options = options;
    this.#host = host;
    this.#events = events;
    this.#log = log;
    const { sizing, maxTasks, maxLifetime } = options;
    if (maxTasks !== undefined || maxLifetime > 0) this.#relief = new Relief(() => this.#respawn(true), (slot, reason) => this.retire(slot, reason));
    this.sizing = sizing && new Sizing(sizing.min, options.size, sizing.idleTimeout, (slot) => this.retire(slot, 'idle'), () => (this.#mode === 'running' ? this.slots : []));
  }

  /** Starts the first workers. Throws if the adapter cannot spawn one (the others are stopped). */
  start(): void {
    try {
      for (let i = 0; i < (this.sizing?.min ?? this.#options.size); i++) this.#spawn();
    } catch (error) {
      void this.stop();
      throw error;
    }
  }

  /** The workers that can take units now. */
  usable(): Slot[] {
    if (this.#usableStale) {
      this.#usable = [...this.slots].filter((slot) => slot.usable);
      this.#usableStale = false;
    }
    return this.#usable;
  }

  /** A worker said it is ready. */
  ready(slot: Slot): void {
    if (slot.phase !== 'starting') return;
    this.#startup.ready();
    this.#relief?.started(performance.now() - slot.startedAt);
    slot.ready();
    if (!slot.standby) this.#armLifetime(slot);
    this.#usableStale = true;
    this.#host.worker?.({ type: 'ready', worker: slot.id });
  }

  /** Dynamic size: starts workers for `queued` waiting units, up to the maximum; notes the idle ones. Returns whether it started any. */
  resize(queued: number): boolean {
    const sizing = this.sizing!;
    const usable = this.usable();
    const more = sizing.more(usable.length, queued);
    if (more === 0) {
      sizing.noteIdle(usable, usable.length, performance.now());
      return false;
    }
    const before = this.slots.size;
    for (let i = 0; i < more; i++) this.#respawn();
    return this.slots.size > before;
  }

  /**
   * Retires a worker that has done its share (`maxTasksPerChild`, `maxMemoryPerChild`,
   * `maxLifetime`) once it has answered what it holds; its replacement starts now, if not ahead.
   */
  recycle(slot: Slot, reason: ExitReason, queued: number): void {
    if (!slot.usable) return;
    const relieved = this.#relief?.has(slot) === true; // retiring an idle worker hands over to its standby
    this.retire(slot, reason);
    if (this.#mode !== 'running' || relieved) return;
    // A dynamic pool replaces it only if it would fall below its minimum, or work is waiting.
    if (!this.sizing || queued > 0 || this.usable().length < this.sizing.min) this.#respawn();
  }

  /**
   * `maxTasksPerChild`: a worker is retired once its share is *sent*. While work waits, its
   * replacement starts (`relief.ts`) when the rest would take about four start-ups at its pace.
   */
  retireAfter(slot: Slot, queued: number): void {
    const maxTasks = this.#options.maxTasks!;
    if (slot.sent - slot.givenBack >= maxTasks) this.recycle(slot, 'tasks', queued);
    else if (queued > 0 && this.#mode === 'running' && slot.msLeft(maxTasks) <= this.#relief!.aheadMs) this.#relief!.relieve(slot, 'tasks');
  }

  /** A retiring worker that holds nothing more is told to exit; a replacement on standby takes over. */
  leaveIfDone(slot: Slot): void {
    if (slot.phase !== 'leaving' || slot.units.length > 0) return;
    slot.handle.send({ type: 'close' });
    this.#takeOver(slot);
  }

  /** A worker replaced ahead has left (or gone): its replacement takes units from now on. */
  #takeOver(slot: Slot): void {
    const next = this.#relief?.takeOver(slot);
    this.#usableStale ||= next !== undefined;
    if (next?.phase === 'ready') this.#armLifetime(next);
  }

  /** `maxLifetime` counts from a worker's start; its replacement starts `relieveAhead` start-ups before. */
  #armLifetime(slot: Slot): void {
    if (this.#options.maxLifetime === 0) return;
    const left = Math.max(0, this.#options.maxLifetime - (performance.now() - slot.startedAt));
    const relieve = (): void => {
      if (slot.usable && this.#mode === 'running') this.#relief!.relieve(slot, 'lifetime');
    };
    slot.armLifetime(left, Math.min(left, this.#relief!.aheadMs), relieve, () => this.#events.expired(slot));
  }

  /** Nothing waits: idle workers (and standbys) leave if the pool is closed, and idle ones whose standby is ready. */
  drained(): void {
    if (this.#mode !== 'closed') this.#relief?.retireIdle();
    else for (const slot of this.slots) if ((slot.phase === 'starting' || slot.phase === 'ready') && slot.units.length === 0) this.retire(slot, 'closed');
  }

  /** Asks a worker to leave once it has answered what it holds; it takes no more units. */
  retire(slot: Slot, reason: ExitReason): void {
    slot.phase = 'leaving';
    slot.reason = reason;
    this.#usableStale = true;
    this.leaveIfDone(slot);
  }

  /** Stops a worker now (a cancelled call's unit may be running in it). */
  kill(slot: Slot): void {
    slot.phase = 'stopping';
    slot.reason = 'cancelled';
    this.#usableStale = true;
    void slot.handle.terminate().catch(() => {});
  }

  get mode(): Mode {
    return this.#mode;
  }

  /** The pool is closed with nothing pending: idle workers leave and are not replaced. Returns whether that is news. */
  close(): boolean {
    if (this.#mode !== 'running') return false;
    this.#mode = 'closed';
    return true;
  }

  async stop(): Promise<void> {
    this.#mode = 'stopped';
    clearTimeout(this.#respawnTimer);
    this.sizing?.stop();
    for (const slot of this.slots) {
      if (slot.phase !== 'stopping') slot.reason = 'stopped'; // one being stopped keeps its reason
      slot.phase = 'stopping';
    }
    this.#usableStale = true;
    await Promise.all([...this.slots].map((slot) => slot.handle.terminate().catch(() => {})));
    await this.exited();
  }

  exited(): Promise<void> {
    return this.slots.size === 0 ? Promise.resolve() : new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  reference(wanted: boolean): void {
    if (wanted === this.#referenced) return;
    this.#referenced = wanted;
    for (const slot of this.slots) slot.handle[wanted ? 'ref' : 'unref']?.();
  }

  /** Starts one worker. Throws if the adapter cannot spawn it; nothing is registered then. */
  #spawn(standby = false): Slot {
    const progress = this.#adapter.supports.sharedMemory ? progressArray() : null;
    const startedAt = performance.now();
    let slot: Slot | undefined;
    // A runtime may report an exit from inside spawn(), before the slot exists: replay it after.
    const early: Array<() => void> = [];
    const handle = this.#adapter.spawn({
      message: (message) => (slot ? this.#events.message(slot, message) : early.push(() => this.#events.message(slot!, message))),
      exit: (exit) => (slot ? this.#onExit(slot, exit) : early.push(() => this.#onExit(slot!, exit))),
    });
    slot = new Slot(++this.#spawned, handle, progress, startedAt, standby);
    this.slots.add(slot);
    this.#host.worker?.({ type: 'started', worker: slot.id });
    this.#usableStale = true;
    if (!this.#referenced) handle.unref?.();
    slot.armStart(this.#options.startTimeout, () => this.#host.broken(...startTimedOut(slot.id, this.#options.startTimeout)));
    try {
      handle.send(progress ? { ...this.#init, progress } : this.#init);
    } catch (error) {
      this.#host.broken(...initUnsendable(asCloneError(error)));
    }
    for (const replay of early) replay();
    return slot;
  }

  #onExit(slot: Slot, exit: WorkerExit): void {
    if (slot.phase === 'gone') return;
    const running = slot.runningAt();
    const was = slot.phase;
    slot.phase = 'gone';
    this.slots.delete(slot);
    slot.clearTimers();
    this.#host.worker?.({ type: 'exited', worker: slot.id, exit: this.#log.exited(slot, exit) });
    this.#usableStale = true;
    this.#events.lost(slot, exit, slot.units.splice(0), running);
    const relieved = this.#relief?.has(slot) === true;
    this.#takeOver(slot);
    const wanted = this.#mode === 'running';
    if (slot.standby) this.#relief!.lost(slot);
    else if (wanted && was === 'starting') {
      const verdict = this.#startup.died(exit);
      if (verdict.action === 'break') this.#host.broken(verdict.cause, verdict.message);
      else if (verdict.action === 'wait') this.#respawnLater(verdict.ms);
      else this.#respawn();
    } else if (wanted && was !== 'leaving' && !relieved && (!this.sizing || this.slots.size < this.sizing.min)) {
      this.#respawn();
    }
    if (this.slots.size === 0) for (const resolve of this.#exitWaiters.splice(0)) resolve();
    this.#events.changed();
  }

  /** Replaces workers killed from outside while they started, after a back-off (`startup.ts`). */
  #respawnLater(ms: number): void {
    if (this.#respawnTimer !== undefined) return;
    this.#respawnTimer = setTimeout(() => {
      this.#respawnTimer = undefined;
      // As many workers as the pool keeps: one timer may stand for several deaths.
      const target = this.sizing ? this.sizing.min : this.#options.size;
      while (this.#mode === 'running' && this.slots.size < target) this.#respawn();
      this.#events.changed();
    }, ms);
  }

  #respawn(standby = false): Slot | undefined {
    try {
      return this.#spawn(standby);
    } catch (error) {
      this.#host.broken(error);
      return undefined;
    }
  }
}
