/**
 * What a runtime's test entry hands the conformance suite: its test functions, the adapter
 * under test and what that adapter can do. A behaviour is written once, against this.
 */
import { Pool, type Adapter, type PoolOptions } from '@pool/core';

/** What an adapter can do; cases that need a capability run only where it is present. */
export interface Capabilities {
  /** Values are structured-cloned: unsendable arguments and results fail with typed errors. */
  clones: boolean;
  /** Workers are isolated: they can die, be retired (`maxTasksPerChild`) and be stopped mid-task. */
  isolated: boolean;
}

/** A jest-style `expect`; vitest's, Bun's and `@vitest/expect` on Deno all fit. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Expect = any;

/** The runner's functions and the adapter under test. */
export interface Harness {
  /** Adapter name shown in test titles, e.g. `'nodeWorkers'`. */
  name: string;
  /** A fresh adapter for each pool. */
  adapter: () => Adapter;
  supports: Capabilities;
  describe: (name: string, body: () => void) => void;
  it: (name: string, body: () => Promise<void> | void) => void;
  expect: Expect;
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
