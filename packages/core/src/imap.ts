/**
 * `imap` and `imapUnordered`: async iterators that read their source lazily, keep a bounded
 * number of chunks in flight, and stop reading when the consumer leaves.
 * @module
 */
import { cacheIndex, type Deadline, deadlineOf, type Job, type JobHost } from './job.js';
import { Segments } from './segments.js';

/** How an imap hands chunks to the pool and takes back the ones it no longer wants. */
export interface ChunkSink {
  submit(job: Job, index: number, items: unknown[]): void;
  /** Drop this job's chunks still waiting in the queue; running ones finish unseen. */
  withdraw(job: Job): void;
}

/**
 * The source's phase: `idle` between reads, `reading` while a read loop runs, `done` once
 * exhausted (or left), `threw` once it failed: its error is raised after the chunks read before it.
 */
type SourcePhase = { name: 'idle' } | { name: 'reading' } | { name: 'done' } | { name: 'threw'; error: unknown };
/**
 * The iteration's phase: `running`; `failing` once an error is due (it is raised after the
 * values before it are taken); `finished` once it has ended, however it ended.
 */
type Phase = { name: 'running' } | { name: 'failing'; error: unknown } | { name: 'finished' };

type Outcome = { ok: true; values: ArrayLike<unknown> } | { ok: false; error: unknown; values: ArrayLike<unknown> };
type Waiter = { resolve(result: IteratorResult<unknown>): void; reject(error: unknown): void; promise: Promise<unknown> };
const noop = (): void => {};

/** The iterator returned by `imap` / `imapUnordered`. */
export class ImapIterator<R> implements AsyncIterableIterator<R>, Job {
  /** @internal */
  [cacheIndex] = -1;
  [deadlineOf]: Deadline | undefined = undefined;
  readonly #host: JobHost;
  readonly #sink: ChunkSink;
  readonly #sourceIterator: Iterator<unknown> | AsyncIterator<unknown>;
  readonly #chunksize: number;
  readonly #ordered: boolean;
  readonly #maxAhead: number;
  /** A failed chunk's values before the error are yielded before it is raised. */
  readonly valuesBeforeError = true;

  #submitted = 0;
  /** Chunks submitted whose values have not all been handed to the consumer. */
  #inFlight = 0;
  #source: SourcePhase = { name: 'idle' };
  #phase: Phase = { name: 'running' };
  /** Ordered: results by chunk index. Unordered: results in arrival order, keyed by arrival. */
  readonly #ready = new Map<number, Outcome>();
  #arrived = 0;
  #nextChunk = 0;
  #current: ArrayLike<unknown> = [];
  #position = 0;
  readonly #waiters: Waiter[] = [];
  /** Left the pool's cache: given up, or finished. */
  #released = false;
  /** Told the pool it waits for its consumer alone (see {@link #updateWaiting}). */
  #waiting = false;

  constructor(
    host: JobHost, sink: ChunkSink, source: Iterator<unknown> | AsyncIterator<unknown>,
    chunksize: number, ordered: boolean, maxAhead: number,
  ) {
    this.#host = host;
    this.#sink = sink;
    this.#sourceIterator = source;
    this.#chunksize = chunksize;
    this.#ordered = ordered;
    this.#maxAhead = maxAhead;
  }

  /** @internal Starts reading the source; the pool calls it once the job is in its cache. */
  start(): void {
    void this.#read();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next result, in input order (`imap`) or completion order (`imapUnordered`). */
  next(): Promise<IteratorResult<R>> {
    // The common case when results are ahead of the consumer: no waiter to queue.
    if (this.#waiters.length === 0 && this.#position < this.#current.length) {
      return Promise.resolve({ done: false, value: this.#current[this.#position++] as R });
    }
    let resolve!: Waiter['resolve'];
    let reject!: Waiter['reject'];
    const promise = new Promise<IteratorResult<unknown>>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#waiters.push({ resolve, reject, promise });
    this.#deliver();
    return promise as Promise<IteratorResult<R>>;
  }

  /** Leave early: stop reading the source (calling its `return()`), drop queued chunks. */
  async return(value?: unknown): Promise<IteratorResult<R>> {
    this.#finish();
    return { done: true, value: value as R };
  }

  get settled(): boolean {
    return this.#released;
  }

  accept(index: number, ok: boolean, value: unknown, done?: readonly unknown[]): void {
    if (this.#phase.name === 'finished') return;
    const outcome: Outcome = ok
      ? { ok: true, values: value instanceof Segments ? value.values() : (value as unknown[]) }
      : { ok: false, error: value, values: done ?? [] };
    this.#ready.set(this.#ordered ? index : this.#arrived++, outcome);
    this.#deliver();
  }

  abort(error: unknown): void {
    if (this.#phase.name !== 'running') return;
    this.#phase = { name: 'failing', error };
    this.#release();
    this.#sink.withdraw(this);
    this.#deliver();
  }

  async #read(): Promise<void> {
    if (this.#source.name !== 'idle') return;
    this.#source = { name: 'reading' };
    const source = this.#sourceIterator;
    try {
      while (this.#source.name === 'reading' && this.#phase.name === 'running' && this.#inFlight < this.#maxAhead) {
        const items: unknown[] = [];
        try {
          while (items.length < this.#chunksize) {
            let step = source.next();
            // Sync sources are read without awaiting: no microtask per item.
            if (typeof (step as { then?: unknown } | null)?.then === 'function') step = await step;
            // As `for...of` has it: a result that is not an object ends the source with a TypeError.
            if (typeof step !== 'object' || step === null) throw new TypeError(`Iterator result ${String(step)} is not an object`);
            if ((step as IteratorResult<unknown>).done) {
              this.#sourceEnded({ name: 'done' });
              break;
            }
            items.push((step as IteratorResult<unknown>).value);
          }
        } catch (error) {
          this.#sourceEnded({ name: 'threw', error });
        }
        if (this.#phase.name !== 'running') return;
        if (items.length > 0) {
          this.#inFlight++;
          this.#sink.submit(this, this.#submitted++, items);
        }
      }
    } finally {
      if (this.#source.name === 'reading') this.#source = { name: 'idle' };
      this.#deliver();
    }
  }

  /** The source ended (unless the consumer already left, which ended it first). */
  #sourceEnded(phase: SourcePhase): void {
    if (this.#source.name === 'reading') this.#source = phase;
  }

  #deliver(): void {
    this.#handOut();
    this.#updateWaiting();
  }

  /**
   * With no chunk running and no read under way, only the consumer can move this iteration on:
   * an iterator read part way and dropped must not keep the process alive, as an idle pool does
   * not. A `next()` that needs more reads again, and the pool holds the process while it runs.
   */
  #updateWaiting(): void {
    if (this.#released) return;
    const waiting = this.#source.name !== 'reading' && this.#ready.size === this.#inFlight;
    if (waiting === this.#waiting) return;
    this.#waiting = waiting;
    this.#host.waiting(this, waiting);
  }

  /** Settles the waiting `next()` calls with what is ready. */
  #handOut(): void {
    while (this.#waiters.length > 0) {
      if (this.#position < this.#current.length) {
        this.#waiters.shift()!.resolve({ done: false, value: this.#current[this.#position++] });
        continue;
      }
      if (this.#phase.name === 'finished') {
        this.#waiters.shift()!.resolve({ done: true, value: undefined });
        continue;
      }
      if (this.#phase.name === 'failing') {
        const { error } = this.#phase;
        const waiter = this.#waiters.shift()!;
        this.#finish();
        // Marked handled as it rejects, as a result is: a next() nobody awaits is never an unhandled rejection.
        waiter.promise.catch(noop);
        waiter.reject(error);
        continue;
      }
      const outcome = this.#ready.get(this.#nextChunk);
      if (outcome) {
        this.#ready.delete(this.#nextChunk++);
        this.#inFlight--;
        this.#current = outcome.values;
        this.#position = 0;
        // A failed chunk yields its values before the error, then ends the iteration.
        if (!outcome.ok) this.#phase = { name: 'failing', error: outcome.error };
        void this.#read();
        continue;
      }
      const source = this.#source;
      if ((source.name === 'done' || source.name === 'threw') && this.#nextChunk === this.#submitted) {
        if (source.name === 'threw') this.#phase = { name: 'failing', error: source.error };
        else this.#finish();
        continue;
      }
      return;
    }
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#host.release(this);
  }

  #finish(): void {
    if (this.#phase.name === 'finished') return;
    this.#phase = { name: 'finished' };
    this.#current = [];
    this.#ready.clear();
    this.#release();
    this.#sink.withdraw(this);
    if (this.#source.name === 'idle' || this.#source.name === 'reading') {
      this.#source = { name: 'done' };
      try {
        const closing = this.#sourceIterator.return?.();
        if (closing instanceof Promise) closing.catch(() => {});
      } catch {
        // The source's cleanup failing must not mask why we stopped.
      }
    }
    this.#deliver();
  }
}
