// W1, W2, W3 and W5 on any pool of the drivers' shape ({ call(task, arg), close() }): the same code
// measures them in a process (harness/main.mjs) and in a browser page (web/page.js), so it imports
// nothing but the task module.
import { fib } from '../tasks/tasks.mjs';

export const now = () => performance.now();

/** Throws unless `ok`: a contestant that computes wrong has no figure. */
export function check(ok, what) {
  if (!ok) throw new Error(`wrong result (${what})`);
}

/** Workers started, code paths compiled: steady state is what W1–W4 and W6 measure. */
export async function warm(pool) {
  const got = await Promise.all(Array.from({ length: 100 }, (_, i) => pool.call('inc', i)));
  check(got[99] === 100, 'warm-up');
  await Promise.all(Array.from({ length: 4 }, () => pool.call('fib', 20)));
}

/** Each workload: `(factory, sizes) => { value, unit, … }`, with `factory(n)` making a pool of n. */
export const micro = {
  /** Tiny tasks, all at once. */
  async W1(factory, sizes) {
    const pool = factory(sizes.processes);
    await warm(pool);
    const t0 = now();
    const pending = new Array(sizes.w1Tasks);
    for (let i = 0; i < sizes.w1Tasks; i++) pending[i] = pool.call('inc', i);
    const values = await Promise.all(pending);
    const seconds = (now() - t0) / 1000;
    check(values[sizes.w1Tasks - 1] === sizes.w1Tasks, 'W1');
    await pool.close();
    return { value: sizes.w1Tasks / seconds, unit: 'tasks/s' };
  },
  /** Sequential round trips. */
  async W2(factory, sizes) {
    const pool = factory(sizes.processes);
    await warm(pool);
    const t0 = now();
    for (let i = 0; i < sizes.w2Calls; i++) await pool.call('noop', i);
    const us = ((now() - t0) * 1000) / sizes.w2Calls;
    await pool.close();
    return { value: us, unit: 'µs/call' };
  },
  /** CPU-bound speedup over the same tasks run serially here. */
  async W3(factory, sizes) {
    const pool = factory(sizes.processes);
    await warm(pool);
    const t0 = now();
    const values = await Promise.all(Array.from({ length: sizes.w3Tasks }, () => pool.call('fib', sizes.w3N)));
    const parallel = now() - t0;
    await pool.close();
    for (let i = 0; i < 4; i++) fib(20);
    const t1 = now();
    let serial = 0;
    for (let i = 0; i < sizes.w3Tasks; i++) serial += fib(sizes.w3N);
    const serialMs = now() - t1;
    check(values.reduce((a, b) => a + b, 0) === serial, 'W3');
    return { value: serialMs / parallel, unit: '×', serialMs, parallelMs: parallel };
  },
  /** Creation to first result. */
  async W5(factory, sizes) {
    const t0 = now();
    const pool = factory(sizes.processes);
    const value = await pool.call('inc', 1);
    const ms = now() - t0;
    check(value === 2, 'W5');
    await pool.close();
    return { value: ms, unit: 'ms' };
  },
};
