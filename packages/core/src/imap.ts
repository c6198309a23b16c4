/**
 * `imap` and `imapUnordered`: async iterators that read their source lazily, keep a bounded
 * number of chunks in flight, and stop reading when the consumer leaves.
 * @module
 */
import type { Job, JobHost } from './job.js';

/** How an imap hands chunks to the pool and takes back the ones it no longer wants. */
export interface ChunkSink {
  submit(job: Job, index: number, items: unknown[]): void;
  /** Drop this job's chunks still waiting in the queue; running ones finish unseen. */
  withdraw(job: Job): void;
}

type Outcome = { ok: true; values: readonly unknown[] } | { ok: false; error: unknown; values: readonly unknown[] };
type Waiter = { resolve(result: IteratorResult<unknown>): void; reject(error: unknown): void };

/** The iterator returned by `imap` / `imapUnordered`. */
export class ImapIterator<R> implements AsyncIterableIterator<R>, Job {
  readonly #host: JobHost;
  readonly #sink: ChunkSink;
  readonly #source: Iterator<unknown> | AsyncIterator<unknown>;
  readonly #chunksize: number;
  readonly #ordered: boolean;
  readonly #maxAhead: number;

  #submitted = 0;
  /** Chunks submitted whose values have not all been handed to the consumer. */
  #inFlight = 0;
  #reading = false;
  #sourceDone = false;
  /** The source's own error, raised after the chunks read before it. */
  #sourceError: { error: unknown } | undefined;
  /** Ordered: results by chunk index. Unordered: results in arrival order, keyed by arrival. */
  readonly #ready = new Map<number, Outcome>();
  #arrived = 0;
  #nextChunk = 0;
  #current: readonly unknown[] = [];
  #position = 0;
  #finished = false;
  #failure: { error: unknown } | undefined;
  readonly #waiters: Waiter[] = [];
  /** Left the pool's cache: given up, or finished. */
  #released = false;

  constructor(
    host: JobHost, sink: ChunkSink, source: Iterator<unknown> | AsyncIterator<unknown>,
    chunksize: number, ordered: boolean, maxAhead: number,
  ) {
    this.#host = host;
    this.#sink = sink;
    this.#source = source;
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
    return new Promise<IteratorResult<unknown>>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#deliver();
    }) as Promise<IteratorResult<R>>;
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
    if (this.#finished) return;
    const outcome: Outcome = ok
      ? { ok: true, values: value as unknown[] }
      : { ok: false, error: value, values: done ?? [] };
    this.#ready.set(this.#ordered ? index : this.#arrived++, outcome);
    this.#deliver();
  }

  abort(error: unknown): void {
    if (this.#finished || this.#failure) return;
    this.#failure = { error };
    this.#release();
    this.#sink.withdraw(this);
    this.#deliver();
  }

  async #read(): Promise<void> {
    if (this.#reading) return;
    this.#reading = true;
    const source = this.#source;
    try {
      while (!this.#sourceDone && !this.#finished && !this.#failure && this.#inFlight < this.#maxAhead) {
        const items: unknown[] = [];
        try {
          while (items.length < this.#chunksize) {
            let step = source.next();
            // Sync sources are read without awaiting: no microtask per item.
            if (typeof (step as { then?: unknown }).then === 'function') step = await step;
            if ((step as IteratorResult<unknown>).done) {
              this.#sourceDone = true;
              break;
            }
            items.push((step as IteratorResult<unknown>).value);
          }
        } catch (error) {
          this.#sourceDone = true;
          this.#sourceError = { error };
        }
        if (this.#finished || this.#failure) return;
        if (items.length > 0) {
          this.#inFlight++;
          this.#sink.submit(this, this.#submitted++, items);
        }
      }
    } finally {
      this.#reading = false;
      this.#deliver();
    }
  }

  #deliver(): void {
    while (this.#waiters.length > 0) {
      if (this.#position < this.#current.length) {
        this.#waiters.shift()!.resolve({ done: false, value: this.#current[this.#position++] });
        continue;
      }
      if (this.#finished) {
        this.#waiters.shift()!.resolve({ done: true, value: undefined });
        continue;
      }
      if (this.#failure) {
        const { error } = this.#failure;
        const waiter = this.#waiters.shift()!;
        this.#finish();
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
        if (!outcome.ok) this.#failure = { error: outcome.error };
        void this.#read();
        continue;
      }
      if (this.#sourceDone && this.#nextChunk === this.#submitted && !this.#reading) {
        if (this.#sourceError) this.#failure = { error: this.#sourceError.error };
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
    if (this.#finished) return;
    this.#finished = true;
    this.#current = [];
    this.#ready.clear();
    this.#release();
    this.#sink.withdraw(this);
    if (!this.#sourceDone) {
      this.#sourceDone = true;
      try {
        const closing = this.#source.return?.();
        if (closing instanceof Promise) closing.catch(() => {});
      } catch {
        // The source's cleanup failing must not mask why we stopped.
      }
    }
    this.#deliver();
  }
}
