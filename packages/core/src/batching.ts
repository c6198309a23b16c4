/**
 * The batching policy, in one place. Messages cost more than the work in them when tasks are
 * tiny, so the pool batches three things, the first two driven by one measure, a worker's pace:
 *
 * 1. **The window** — how many units a worker holds at once: enough for about {@link aheadMs}
 *    of work beyond the one it runs, and at least one ahead while units take under
 *    {@link lookaheadMs}, at most {@link maxWindow}; 1 while its pace is unknown or its units
 *    take longer, so long tasks stay balanced across workers.
 * 2. **The grouping** — on each dispatch, idle workers get one unit first (nobody waits while
 *    another hoards), then every worker with room takes a fair share of what is left;
 *    consecutive units of one call, or applies of one task whatever their options, go as one
 *    `batch` message (kind and task sent once), unless their arguments are large
 *    ({@link carriesLarge}): those go one unit per message.
 * 3. **The answers** — a worker holds its successful answers until it runs out of units, a
 *    unit goes async, or the next unit may run long (`worker-answers.ts`), and sends them as one
 *    `values` message; a unit with none behind it (a sequential caller's) is not timed at all:
 *    its answer leaves as it finishes. Every channel worker batches: where memory is shared the
 *    pool still sees which unit a dying worker ran; elsewhere a death with several units held
 *    makes them all suspects, re-run one at a time (`isolation.ts`); `inline()`'s workers cannot
 *    die.
 * 4. **Giving back** — the window is sized by the pace of units that came before, so a worker
 *    may hold many units when one turns out long (a short task given a bigger argument, another
 *    task, a slower core). Once a unit has taken {@link holdMs} or more, the worker keeps what a
 *    window at that pace allows and returns the rest (`returned`), and the pool queues them
 *    again for whichever worker is free: held units never wait behind a slow worker for long.
 * @module
 */
import { isPacked, type PackedNumbers } from './segments.js';

/** Units a worker may hold at most, however short its tasks. */
export const maxWindow = 64;
/** Work, in ms, a worker may hold beyond the unit it is running: bounds imbalance at the end of a map. */
export const aheadMs = 2;

/** One worker's pace: smoothed milliseconds per unit, from the answers it has sent. */
export class Pace {
  #msPerUnit: number | undefined;
  #lastAnswer = 0;

  /** Milliseconds spent on units so far: for utilisation. */
  busyMs = 0;

  /**
   * The worker had nothing to run until `now`: it became ready, or it held no unit when one was
   * sent. Units sent to a busy worker start as the one before them ends, so an answer's unit ran
   * from the previous answer or from here, whichever is later. (A send time kept per unit would
   * be a boxed number on every pending call: W1 submits 20,000 at once.)
   */
  since(now: number): void {
    this.#lastAnswer = now;
  }

  /** Records an answer arriving at `now`; returns how long its unit ran. */
  record(now: number): number {
    const took = now - this.#lastAnswer;
    this.#lastAnswer = now;
    this.busyMs += took;
    this.#msPerUnit = this.#msPerUnit === undefined ? took : 0.8 * this.#msPerUnit + 0.2 * took;
    return took;
  }

  /** The worker measured `ms` per unit itself (it returned units it held): trust that. */
  observe(ms: number): void {
    this.#msPerUnit = ms;
  }

  /** Its estimated milliseconds per unit, or `undefined` before its first answer. */
  get msPerUnit(): number | undefined {
    return this.#msPerUnit;
  }

  /** Units the worker should hold at once. */
  window(): number {
    return this.#msPerUnit === undefined ? 1 : windowAt(this.#msPerUnit);
  }
}

/**
 * The window at a pace of `msPerUnit`: the unit it runs, plus units for about {@link aheadMs}
 * beyond it, plus one more while units are shorter than {@link lookaheadMs}, so the worker never
 * waits for the pool between them (a round trip is a large share of a unit of a millisecond or
 * two). Longer units go one at a time: one held ahead could wait a whole unit while another
 * worker idles at the end of a call.
 */
export function windowAt(msPerUnit: number): number {
  const ms = Math.max(msPerUnit, 1e-3);
  return Math.max(ms < lookaheadMs ? 2 : 1, Math.min(maxWindow, Math.floor(aheadMs / ms)));
}

/** Units shorter than this (ms) are held one ahead of the one running (see {@link windowAt}). */
export const lookaheadMs = 8;

/**
 * How many more units to send a worker now: none while it still holds over half its window (so
 * sends come in batches), else enough to fill the window, within what `maxTasks` leaves it.
 */
export function room(pace: Pace, held: number, sent: number, maxTasks: number | undefined): number {
  const window = pace.window();
  if (held > window >> 1) return 0;
  const allowed = maxTasks === undefined ? window : Math.min(window, maxTasks - sent);
  return allowed - held;
}

/** A fair share of `queued` units for the next of `workersLeft` workers. */
export function fairShare(queued: number, workersLeft: number): number {
  return Math.ceil(queued / workersLeft);
}

/**
 * Held answers leave before the next unit once they have waited this long (ms), or before a
 * unit of a task that ran this long last time. A unit that turns out long still delays the
 * answers held before it (a worker cannot speak mid-task), but never by more than itself.
 */
export const holdMs = 1;

/**
 * Chunks from this many items on are large: a message's cost is nothing next to their work, so
 * a worker sends their values at once, never held (`worker-answers.ts`), and `imap` reads fewer
 * of them ahead (`chunking.ts`).
 */
export const largeChunk = 256;

/**
 * Arguments from this size on (bytes of a buffer or view, characters of a string) are large: a
 * message saves a few µs, nothing next to cloning them, and a batch of several megabytes costs
 * more per byte than one message each (bench/profiles/copy-window.mjs) and holds the worker
 * until all of it is read.
 */
export const largeArgument = 64 * 1024;

/**
 * Whether a unit's arguments are large, by a cheap hint: the size of the first one, or of a
 * chunk's packed items. One that cannot be read (a getter that throws) counts as large: it goes
 * alone, and its clone fails it alone.
 */
export function carriesLarge(args: readonly unknown[] | PackedNumbers): boolean {
  if (isPacked(args)) return args.byteLength >= largeArgument;
  let first: unknown;
  try {
    first = args[0];
  } catch {
    return true;
  }
  if (typeof first === 'string') return first.length >= largeArgument;
  if (typeof first !== 'object' || first === null) return false;
  if (first instanceof ArrayBuffer) return first.byteLength >= largeArgument;
  return ArrayBuffer.isView(first) && first.byteLength >= largeArgument;
}
