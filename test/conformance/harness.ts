/**
 * What a runtime's test entry hands the conformance suite: its test functions, the adapter
 * under test and what that adapter can do. A behaviour is written once, against this.
 */
import { Pool, type Adapter, type FromWorker, type PoolOptions, type Supports, type ToWorker, type WorkerEvents, type WorkerHandle } from '@pool/core';
import type { QueueAdapter } from '@pool/core/executor';

/** What an adapter can do: its own manifest (`adapter.supports`); cases run only where it holds. */
export type Capabilities = Supports;

/** A jest-style `expect`; vitest's, Bun's and `@vitest/expect` on Deno all fit. */
// biome-ignore lint/suspicious/noExplicitAny: each runner's expect has its own type; the cases use the common jest subset.
export type Expect = any;

/** The runner's functions and the adapter under test. */
export interface Harness {
  /** Adapter name shown in test titles, e.g. `'nodeWorkers'`. */
  name: string;
  /** A fresh adapter for each pool. */
  adapter: () => Adapter | QueueAdapter;
  /** The adapter's own manifest, read from it by {@link harness}. */
  supports: Capabilities;
  /**
   * A channel adapter (`spawn`, one worker per channel), whose workers the harness can record and
   * kill one by one (`recordingAdapter`, `killWorker`); `false` for a queue adapter (`open`).
   */
  channel: boolean;
  /**
   * The share of the heaviest cases' workload (leaks, bursts) to run, default 1: an adapter whose every
   * unit is a network round trip (a queue) runs a smaller one within the test timeout.
   */
  scale?: number;
  describe: (name: string, body: () => void) => void;
  it: (name: string, body: () => Promise<void> | void) => void;
  expect: Expect;
  /**
   * Kills one of the adapter's workers from outside, as a crash would: SIGKILL by pid for
   * processes. Optional; the default is the real handle's own `terminate()`.
   */
  kill?: (handle: WorkerHandle) => unknown;
}

/** A harness for `adapter`, its capabilities read from the adapter's own manifest. */
export function harness(fields: Omit<Harness, 'supports' | 'channel'> & { scale?: number }): Harness {
  const adapter = fields.adapter();
  return { ...fields, supports: adapter.supports, channel: 'spawn' in adapter };
}

/** URL of a fixture module in `test/fixtures`. */
export const fixture = (name: string): URL => new URL(`../fixtures/${name}`, import.meta.url);

/** Polls `condition` until it holds, failing after `ms`: synchronisation without sleeps. */
export async function until(condition: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Settles `promise` and returns what it rejected with; fails if it fulfilled. */
export async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection, but the promise fulfilled');
}

/** Calls `fn` and returns what it threw; fails if it returned. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('Expected a throw, but the call returned');
}

/** Options of {@link openPool}: the pool's, less the adapter, which the harness supplies. */
export type TestPoolOptions = Omit<PoolOptions, 'adapter'>;

/** A pool on the harness's adapter over `fixtures/tasks.mjs`, unless `module` says otherwise. */
export function openPool(harness: Harness, options: TestPoolOptions = {}): Pool {
  return new Pool({ adapter: harness.adapter(), module: fixture('tasks.mjs'), processes: 2, ...options });
}

/** Runs `body` with a fresh pool and terminates the pool afterwards, whatever happens. */
export async function withPool(harness: Harness, options: TestPoolOptions, body: (pool: Pool) => Promise<void>): Promise<void> {
  const pool = openPool(harness, options);
  try {
    await body(pool);
  } finally {
    await pool.terminate();
  }
}

/** The harness's adapter, wrapped to remember the real handle of every worker it spawns. */
export interface RecordingAdapter {
  /** Pass this to the pool. */
  adapter: Adapter;
  /** Handles of workers that said they are ready and have not exited yet. */
  ready(): WorkerHandle[];
  /** Workers spawned so far. */
  spawned(): number;
  /** Workers spawned whose exit the adapter has not reported yet. */
  live(): number;
  /** Whether the adapter has reported this worker's exit. */
  exited(handle: WorkerHandle): boolean;
}

/**
 * The channel adapter `real`, with every message the pool sends a worker passed to `intercept`
 * instead: it forwards what it lets through with `forward`, and may answer as the worker would
 * through `events`. To bend the protocol at one exact point; nothing else is touched.
 */
export function interceptSends(
  real: Adapter,
  intercept: (message: ToWorker, forward: (message: ToWorker) => void, events: WorkerEvents) => void,
): Adapter {
  return {
    ...real,
    spawn: (events) => {
      const handle = real.spawn(events);
      return { ...handle, send: (message, transfer) => intercept(message, (sent) => handle.send(sent, transfer), events) };
    },
  };
}

/**
 * Wraps the harness's real adapter: `spawn` goes to the real one, and the handle is remembered
 * until its worker exits. Nothing is mocked; the pool sees the real handles and events, in order.
 */
export function recordingAdapter(h: Harness, hooks: {
  /**
   * Sees each worker message just before the pool does: to act at an exact moment of the protocol.
   * `handle` is the worker's real handle (unknown for a message sent while it was being spawned).
   */
  beforeMessage?: (message: FromWorker, handle: WorkerHandle | undefined) => void;
  /** Sees each message the pool has just sent a worker (the send returned; the worker has not read it yet). */
  afterSend?: (message: ToWorker, handle: WorkerHandle) => void;
  /**
   * `false` runs a shared-memory adapter on its other path (no shared progress counter: after a
   * death with several units held, they run again one at a time), so fault cases cover both paths
   * the pool has. Default: the adapter's own.
   */
  sharedMemory?: boolean;
} = {}): RecordingAdapter {
  const inner = h.adapter();
  if (!('spawn' in inner)) throw new Error(`recordingAdapter needs a channel adapter; ${h.name} is a queue adapter`);
  const ready = new Set<WorkerHandle>();
  const gone = new WeakSet<WorkerHandle>();
  let spawned = 0;
  let exits = 0;
  const adapter: Adapter = {
    name: inner.name,
    supports: hooks.sharedMemory === undefined ? inner.supports : { ...inner.supports, sharedMemory: hooks.sharedMemory && inner.supports.sharedMemory },
    defaultProcesses: () => inner.defaultProcesses(),
    ...(inner.cwd && { cwd: () => inner.cwd!() }),
    ...(inner.baseUrl && { baseUrl: () => inner.baseUrl!() }),
    spawn(events) {
      let handle: WorkerHandle | undefined;
      let exited = false;
      let readyEarly = false;
      handle = inner.spawn({
        message(message) {
          if (message.type === 'ready' && !exited) {
            if (handle) ready.add(handle);
            else readyEarly = true;
          }
          hooks.beforeMessage?.(message, handle);
          events.message(message);
        },
        exit(exit) {
          if (!exited) exits++;
          exited = true;
          if (handle) {
            ready.delete(handle);
            gone.add(handle);
          }
          events.exit(exit);
        },
      });
      spawned++;
      if (readyEarly && !exited) ready.add(handle);
      const real = handle;
      if (hooks.afterSend) {
        // The real handle, with its send observed: everything else is looked up on it.
        const observed = Object.create(real) as WorkerHandle & { send: WorkerHandle['send'] };
        observed.send = (message, transfer) => {
          real.send(message, transfer);
          hooks.afterSend!(message, real);
        };
        return observed;
      }
      return real;
    },
  };
  return { adapter, ready: () => [...ready], spawned: () => spawned, live: () => spawned - exits, exited: (handle) => gone.has(handle) };
}

/**
 * Kills a worker from outside the pool: with the harness's `kill` if it has one; else a process
 * (a handle with a `pid`) gets SIGKILL, and a thread or web worker its handle's `terminate()`.
 */
export async function killWorker(h: Harness, handle: WorkerHandle): Promise<void> {
  const pid = (handle as { pid?: unknown }).pid;
  const host = (globalThis as { process?: { kill?: (pid: number, signal: string) => void } }).process;
  if (h.kill) await h.kill(handle);
  else if (typeof pid === 'number' && typeof host?.kill === 'function') host.kill(pid, 'SIGKILL');
  else await handle.terminate();
}

/** A small seeded generator (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): { next(): number; int(min: number, max: number): number; seed: number } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)), seed };
}

/** The seed of a randomised test: `POOL_TEST_SEED` from the environment, else `fallback`. */
export function testSeed(fallback: number): number {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> }; Deno?: { env: { get(k: string): string | undefined } } };
  let raw: string | undefined;
  try {
    raw = g.process?.env?.['POOL_TEST_SEED'] ?? g.Deno?.env.get('POOL_TEST_SEED');
  } catch {
    raw = undefined; // no permission to read the environment
  }
  const seed = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(seed) ? seed : fallback;
}

/** Runs `body` with `seed`; a failure is rethrown with the seed in its message, to replay it. */
export async function withSeed(seed: number, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof Error) error.message = `${error.message}\n(replay with POOL_TEST_SEED=${seed})`;
    throw error;
  }
}

/** Rejects with a clear message if `promise` has not settled within `ms`; never leaves a timer behind. */
export async function within<T>(promise: PromiseLike<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collects unhandled rejections on any runtime: the web event where there is one, and Node's. */
export function watchUnhandled(): { reasons: unknown[]; stop(): void } {
  const reasons = new Set<unknown>();
  const g = globalThis as {
    addEventListener?: (type: string, listener: (event: { reason: unknown; preventDefault(): void }) => void) => void;
    removeEventListener?: (type: string, listener: (event: { reason: unknown; preventDefault(): void }) => void) => void;
    process?: { on?: (event: string, listener: (reason: unknown) => void) => void; off?: (event: string, listener: (reason: unknown) => void) => void };
  };
  const onEvent = (event: { reason: unknown; preventDefault(): void }): void => {
    reasons.add(event.reason);
    event.preventDefault();
  };
  const onNode = (reason: unknown): void => void reasons.add(reason);
  const web = typeof g.addEventListener === 'function';
  const node = typeof g.process?.on === 'function';
  if (web) g.addEventListener!('unhandledrejection', onEvent);
  if (node) g.process!.on!('unhandledRejection', onNode);
  return {
    get reasons() {
      return [...reasons];
    },
    stop() {
      if (web) g.removeEventListener?.('unhandledrejection', onEvent);
      if (node) g.process!.off?.('unhandledRejection', onNode);
    },
  };
}

/** One macrotask turn: the host reports unhandled rejections once the microtask queue has drained. */
export const hostTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Collects values until the iterator throws; returns both. */
export async function collectUntilError<T>(iterator: AsyncIterable<T>): Promise<{ values: T[]; error: unknown }> {
  const values: T[] = [];
  try {
    for await (const value of iterator) values.push(value);
  } catch (error) {
    return { values, error };
  }
  throw new Error('Expected the iteration to throw');
}
