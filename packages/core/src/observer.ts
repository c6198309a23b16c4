/**
 * What the pool tells its event listeners about calls and workers: `callqueue`, `callstart`,
 * `callsettle`, and the executor's worker reports. Calls are timed only while somebody listens
 * for call events; otherwise this costs one check per call.
 * @module
 */
import type { Admission } from './backpressure.js';
import type { ExecutorHost, WorkerLifecycle } from './executor.js';
import { PoolEvents } from './events.js';
import type { Job, TaskUnit } from './job.js';
import { microtask } from './microtask.js';

/** The pool's observer of its calls. */
export class Observer {
  /** When each call was queued (negated once it has started), while anybody listens for call events. */
  readonly #queuedAt = new Map<Job, number>();
  /** Made with the first listener: most pools never have one, and then nothing here is compiled. */
  #events: PoolEvents | undefined;

  /** The pool's event target. */
  get events(): PoolEvents {
    this.#events ??= new PoolEvents();
    return this.#events;
  }

  /** A call entered the cache. */
  queued(job: Job): void {
    const events = this.#events;
    if (!events?.callsWatched) return;
    this.#queuedAt.set(job, performance.now());
    events.emit('callqueue', { call: job });
  }

  /** A call left the cache: `callsettle`, once its result has settled. */
  released(job: Job): void {
    if (this.#queuedAt.size === 0) return;
    const at = this.#queuedAt.get(job);
    if (at === undefined) return;
    this.#queuedAt.delete(job);
    if (!this.events.wants('callsettle')) return;
    const ms = performance.now() - Math.abs(at);
    // Released just before its result settles: the event comes once it has.
    microtask(() => this.events.emit('callsettle', { call: job, ms }));
  }

  /** A unit was handed to a worker: its call's `callstart`, the first time. */
  started(unit: TaskUnit): void {
    const at = this.#queuedAt.get(unit.job);
    if (at === undefined || at < 0) return;
    this.#queuedAt.set(unit.job, -at);
    this.events.emit('callstart', { call: unit.job });
  }

  /** The host the executor reports to: `broken` from the pool, the rest from here and `admission`. */
  host(broken: (cause: unknown, message?: string) => void, admission: Admission | undefined): ExecutorHost {
    const observer = this;
    const report = (event: WorkerLifecycle): void => {
      const events = observer.#events;
      if (!events) return;
      if (event.type === 'exited') events.emit('workerexit', event.exit);
      else events.emit(event.type === 'started' ? 'workerstart' : 'workerready', { worker: event.worker });
    };
    // The executor starts the first workers inside the pool's constructor, before anybody can
    // listen: their reports wait a microtask, for listeners added right after `new Pool()`.
    let early: WorkerLifecycle[] | null = [];
    microtask(() => {
      const held = early!;
      early = null;
      for (const event of held) report(event);
    });
    return {
      broken,
      worker: (event: WorkerLifecycle) => (early ? void early.push(event) : report(event)),
      get wantsStarts() {
        return observer.#queuedAt.size > 0 && observer.events.wants('callstart');
      },
      started: (unit) => observer.started(unit),
      get wantsRoom() {
        return admission?.wanted === true;
      },
      dequeued: () => admission?.room(),
    };
  }
}
