/**
 * Checks, written once for every runtime entry, that a task module written in TypeScript
 * (`fixtures/tasks.ts`) loads directly in the workers. Deno and Bun always register it; Node
 * only where it strips types (≥ 22.6), since Node 20 does not run TypeScript without a loader.
 */
import { Pool } from '@pool/core';
import { fixture, rejection, type Harness } from '../conformance/harness.js';

/** Registers the TypeScript task module checks for one adapter. */
export function typescriptModule(h: Harness): void {
  h.describe(`TypeScript task module: ${h.name}`, () => {
    h.it('loads fixtures/tasks.ts and runs its tasks: sync, async, starmap, and a thrown error', async () => {
      const pool = new Pool({ adapter: h.adapter(), module: fixture('tasks.ts'), processes: 2 });
      try {
        h.expect(await pool.map('norm', [{ x: 3, y: 4 }, { x: 6, y: 8 }])).toEqual([5, 10]);
        h.expect(await pool.starmap('sum', [[1, 2], [3, 4, 5]])).toEqual([3, 12]);
        h.expect(await pool.apply('later', ['ts'])).toBe('ts');
        const error = await rejection(pool.apply('fail', ['typed']));
        h.expect(error).toBeInstanceOf(RangeError);
        h.expect((error as Error).message).toBe('typed');
      } finally {
        await pool.terminate();
      }
    });
  });
}
