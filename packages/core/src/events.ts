/**
 * The pool's lifecycle events, through the runtime's own `EventTarget`: workers starting, ready
 * and leaving, and calls queued, started and settled. A listener that throws harms nothing. The
 * pool asks {@link PoolEvents.wants} before it builds an event, so nobody pays for events nobody
 * listens to.
 * @module
 */
import type { WorkerExitRecord } from './metrics.js';

/** A submitted call as events name it: the `AsyncResult` or the `imap` iterator it returned. */
export type CallHandle = object;

/** What each event's `detail` holds. */
export interface PoolEventMap {
  /** A worker was started (its module is loading). */
  workerstart: { worker: number };
  /** A worker has loaded the module and run the initializer. */
  workerready: { worker: number };
  /** A worker has left, and why (see `pool.metrics().exits`). */
  workerexit: WorkerExitRecord;
  /** A call was submitted. */
  callqueue: { call: CallHandle };
  /** A call's first unit was handed to a worker. */
  callstart: { call: CallHandle };
  /** A call has settled (succeeded, failed, cancelled) or an `imap` ended; `ms` since it was queued. */
  callsettle: { call: CallHandle; ms: number };
}

/** The pool's event types. */
export type PoolEventType = keyof PoolEventMap;

const eventTypes: readonly string[] = ['workerstart', 'workerready', 'workerexit', 'callqueue', 'callstart', 'callsettle'] satisfies PoolEventType[];

/** An event of the pool: `type`, and what happened in `detail`. */
export class PoolEvent<K extends PoolEventType = PoolEventType> extends Event {
  constructor(type: K, readonly detail: PoolEventMap[K]) {
    super(type);
  }
}

/** A listener for one of the pool's events. */
export type PoolEventListener<K extends PoolEventType> = ((event: PoolEvent<K>) => void) | { handleEvent(event: PoolEvent<K>): void };

/** The pool's event target, counting listeners per type. */
export class PoolEvents {
  /** Made with the first listener: most pools never have one. */
  #target: EventTarget | undefined;
  /** Per type: each listener and the guarded wrapper the target holds. */
  readonly #listeners = new Map<string, Map<unknown, (event: Event) => void>>();

  /** Whether anybody listens for a call event (`callqueue`, `callstart`, `callsettle`): read per call, so kept as a field. */
  callsWatched = false;

  /** Whether anybody listens for `type`. */
  wants(type: PoolEventType): boolean {
    return (this.#listeners.get(type)?.size ?? 0) > 0;
  }

  #update(): void {
    this.callsWatched = this.wants('callqueue') || this.wants('callstart') || this.wants('callsettle');
  }

  add(type: string, listener: unknown, options?: { once?: boolean }): void {
    // A misspelt type would never fire: refused, as a misspelt option is.
    if (!eventTypes.includes(type)) throw new TypeError(`Unknown pool event '${String(type)}'; expected one of ${eventTypes.join(', ')}`);
    if (typeof listener !== 'function' && (typeof listener !== 'object' || listener === null || typeof (listener as { handleEvent?: unknown }).handleEvent !== 'function')) {
      throw new TypeError(`Expected a listener function for '${type}'`);
    }
    let byListener = this.#listeners.get(type);
    if (!byListener) this.#listeners.set(type, (byListener = new Map()));
    if (byListener.has(listener)) return;
    const once = options?.once === true;
    const wrapper = (event: Event): void => {
      if (once) this.remove(type, listener);
      try {
        if (typeof listener === 'function') listener(event);
        else (listener as { handleEvent(event: Event): void }).handleEvent(event);
      } catch {
        // A listener's bug must not reach the pool, nor crash the host.
      }
    };
    byListener.set(listener, wrapper);
    (this.#target ??= new EventTarget()).addEventListener(type, wrapper);
    this.#update();
  }

  remove(type: string, listener: unknown): void {
    const wrapper = this.#listeners.get(type)?.get(listener);
    if (!wrapper) return;
    this.#listeners.get(type)!.delete(listener);
    this.#target?.removeEventListener(type, wrapper);
    this.#update();
  }

  emit<K extends PoolEventType>(type: K, detail: PoolEventMap[K]): void {
    if (this.wants(type)) this.#target?.dispatchEvent(new PoolEvent(type, detail));
  }

  /** Drops every listener (the pool has stopped). */
  clear(): void {
    for (const [type, byListener] of this.#listeners) for (const wrapper of byListener.values()) this.#target?.removeEventListener(type, wrapper);
    this.#listeners.clear();
    this.#update();
  }
}
