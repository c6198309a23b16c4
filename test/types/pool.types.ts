/**
 * Compile-time tests of the pool's typing, checked by `tsc` in `npm test`: a wrong task name or
 * argument must not compile, and results must be inferred. An unused `@ts-expect-error` fails too.
 */
import { inline, Pool, type AsyncResult } from '@pool/core';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const assertType = <T extends true>(): T | undefined => undefined;

export async function typed(): Promise<void> {
  const pool = new Pool<typeof import('./tasks.js')>({ adapter: inline(), module: new URL('./tasks.js', import.meta.url) });

  const squared = await pool.map('square', [1, 2, 3]);
  assertType<Equal<typeof squared, number[]>>();
  const size = await pool.apply('fetchSize', ['https://example.com']);
  assertType<Equal<typeof size, number>>();
  const ok = await pool.apply('noArgs');
  assertType<Equal<typeof ok, 'ok'>>();
  const sums = await pool.starmap('add', [[1, 2], [3, 4]]);
  assertType<Equal<typeof sums, number[]>>();
  const asyncResult = pool.applyAsync('square', [2], { callback: (value) => assertType<Equal<typeof value, number>>() });
  assertType<Equal<typeof asyncResult, AsyncResult<number>>>();
  const mapped = pool.mapAsync('fetchSize', ['a', 'b']);
  assertType<Equal<typeof mapped, AsyncResult<number[]>>>();
  for await (const value of pool.imap('square', [1, 2])) assertType<Equal<typeof value, number>>();
  for await (const value of pool.imapUnordered('fetchSize', (async function* () { yield 'x'; })())) {
    assertType<Equal<typeof value, number>>();
  }
  const fromFunction = await pool.apply((a: string, b: number) => a.repeat(b), ['x', 3]);
  assertType<Equal<typeof fromFunction, string>>();

  // @ts-expect-error: not an export
  await pool.apply('nope', [1]);
  // @ts-expect-error: an export that is not a function
  await pool.apply('notATask');
  // @ts-expect-error: wrong argument type
  await pool.apply('square', ['seven']);
  // @ts-expect-error: too many arguments
  await pool.apply('square', [1, 2]);
  // @ts-expect-error: arguments left out for a task that needs two
  await pool.apply('add');
  // @ts-expect-error: too few arguments
  pool.applyAsync('add', [1]);
  // Arguments may be left out only where the task needs none.
  pool.applyAsync('noArgs');
  // @ts-expect-error: map items must fit the task's first parameter
  await pool.map('square', ['a']);
  // @ts-expect-error: starmap items are argument tuples
  await pool.starmap('add', [[1, 'b']]);
  // @ts-expect-error: imap over the wrong item type
  pool.imap('fetchSize', [1, 2]);
  // @ts-expect-error: callback receives the task's result type
  pool.applyAsync('square', [1], { callback: (value: string) => value });
  // @ts-expect-error: function task arguments are checked too
  await pool.apply((a: number) => a, ['x']);

  const untyped = new Pool({ adapter: inline() });
  const anything = await untyped.apply('whatever', [1, 'two']);
  // biome-ignore lint/suspicious/noExplicitAny: an untyped pool's result is `any`; that is the assertion.
  assertType<Equal<typeof anything, any>>();
}
