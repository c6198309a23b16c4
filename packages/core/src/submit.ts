/**
 * Submission: a checked call becomes a job in the cache and task units for the executor. `apply`
 * is one unit; `map` and `starmap` are cut into chunks at once; `imap` reads its source lazily.
 * The pool checks the call and its own state first (`pool.ts`).
 * @module
 */
import type { Supports } from './adapter.js';
import type { Admission } from './backpressure.js';
import type { JobCache } from './cache.js';
import type { Prepared } from './calls.js';
import { defaultChunksize, readAhead } from './chunking.js';
import type { Executor } from './executor.js';
import { ImapIterator, type ChunkSink } from './imap.js';
import { TaskUnit, type Call } from './job.js';
import { microtask } from './microtask.js';
import { TaskKind } from './protocol.js';
import { ApplyResult, MapResult } from './results.js';
import { arraySlice, denseSlice, packItems } from './segments.js';
import { asCloneError } from './send.js';
import { chunkCall } from './transfer.js';

/** Turns checked calls into jobs and units, for one pool. */
export class Submission {
  constructor(
    readonly executor: Executor,
    readonly cache: JobCache,
    /** `maxQueue`, where the pool has one. */
    readonly admission: Admission | undefined,
    /** The pool's (maximum) size: default chunks and imap's read-ahead follow it. */
    readonly processes: number,
    /** The adapter's capabilities: imap's read-ahead depends on its channel. */
    readonly supports: Supports,
  ) {}

  /** One call: one unit. */
  apply({ call, callbacks, limits }: Prepared, args: readonly unknown[]): ApplyResult<unknown> {
    this.admission?.admit();
    const result = new ApplyResult<unknown>(this.cache.host, callbacks);
    this.cache.add(result, limits);
    this.executor.enqueue(new TaskUnit(result, 0, call, args));
    return result;
  }

  /** `map` / `starmap`: every item now, in chunks (Python's default size unless given). */
  map({ call, callbacks, limits, chunksize: given }: Prepared, items: ArrayLike<unknown>): MapResult<unknown> {
    this.admission?.admit();
    const chunksize = given ?? Math.max(1, defaultChunksize(items.length, this.processes));
    const result = new MapResult<unknown>(this.cache.host, items.length, chunksize, callbacks);
    if (items.length === 0) {
      result.accept(0, true, []);
      return result;
    }
    this.cache.add(result, limits);
    // Cut as they go: an idle worker takes the first chunks while the rest are cut.
    const pack = this.#packFrom(call);
    // A typed array's chunks that do not go packed go as arrays, as any other map's.
    const cut: (start: number, end: number) => unknown[] = !Array.isArray(items)
      ? (start, end) => arraySlice(items, start, end)
      : this.supports.cloning ? (start, end) => denseSlice(items, start, end) : (start, end) => items.slice(start, end);
    try {
      for (let index = 0, start = 0; start < items.length; index++, start += chunksize) {
        const end = Math.min(items.length, start + chunksize);
        const args = packItems(items, start, end, pack) ?? cut(start, end);
        this.executor.enqueue(new TaskUnit(result, index, chunkCall(call, args), args));
      }
    } catch (error) {
      // An item that cannot be read (a getter that throws) fails this call alone, as a clone would.
      this.executor.cancel(result);
      result.abort(asCloneError(error));
      return result;
    }
    // Behind the executor's dispatch, which is queued as a microtask too: the chunks go first.
    microtask(() => result.prepare());
    return result;
  }

  /** `imap` / `imapUnordered`: chunks read from `source` as results are consumed. */
  imap({ call, limits, chunksize }: Prepared, source: Iterator<unknown> | AsyncIterator<unknown>, ordered: boolean): ImapIterator<unknown> {
    const pack = this.#packFrom(call);
    const sink: ChunkSink = {
      submit: (job, index, items) => this.executor.enqueue(new TaskUnit(job, index, chunkCall(call, items), packItems(items, 0, items.length, pack) ?? items)),
      withdraw: (job) => this.executor.withdraw(job),
    };
    const size = chunksize ?? 1;
    const iterator = new ImapIterator<unknown>(this.cache.host, sink, source, size, ordered, readAhead(this.processes, size, this.supports));
    this.cache.add(iterator, limits);
    iterator.start();
    return iterator;
  }

  /**
   * From how many numbers this call's chunks of items go packed, as the executor takes them (a
   * queue adapter's codec gets arrays); never a starmap's, whose items are argument lists.
   */
  #packFrom(call: Call): number {
    return call.kind === TaskKind.Map ? (this.executor.packFrom ?? 0) : 0;
  }
}
