// Deliberately wrong calls. test/node/type-messages.test.ts compiles this file and checks that
// each line marked `// error: /regex/` gets a short error (at most 3 lines) matching it, and that
// no other line has one. Not part of the type-checked test project (tsconfig.json leaves it out).
import { inline, Pool } from '@pool/core';

const pool = new Pool<typeof import('../types/tasks.js')>({ adapter: inline() });

export async function wrong(): Promise<void> {
  await pool.apply('sqare', [7]); // error: /'"sqare"' is not assignable to parameter of type '.*"square".*'/
  await pool.apply('add'); // error: /Expected 2-3 arguments, but got 1/
  await pool.apply('square', ['seven']); // error: /Type 'string' is not assignable to type 'number'/
  await pool.map('square', ['a']); // error: /Type 'string' is not assignable to type 'number'/
  await pool.apply('notATask'); // error: /'"notATask"' is not assignable to parameter of type '.*"square".*'/
  await pool.starmap('add', [[1, 'b']]); // error: /Type 'string' is not assignable to type 'number'/
  pool.imap('fetchSize', [1]); // error: /Type 'number' is not assignable to type 'string'/
  pool.mapAsync('sqaure', [1]); // error: /'"sqaure"' is not assignable/
  pool.applyAsync('square', [1], { callback: (value: string) => value }); // error: /'\(value: string\) => string' is not assignable/
  await pool.map('add', [1, 2]); // error: /'number' is not assignable to type '"map and imap pass each item as the one argument: use starmap for a task with more"'/
  pool.imap('add', [[1, 2]]); // error: /use starmap for a task with more/
  await pool.apply('add', [1, 2] as const); // fine: a readonly tuple
  await pool.apply('noArgs'); // fine: no arguments needed
  await pool.apply('square', [7]); // fine
}
