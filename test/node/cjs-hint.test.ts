/**
 * A CommonJS task module written `module.exports = { square: … }`: Node's import sees only a
 * default export, so its tasks are not found by name, and the error says why and what to write.
 */
import { Pool, TaskNotFoundError } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { describe, expect, it } from 'vitest';

const module = new URL('./fixtures/cjs-object-exports.cjs', import.meta.url);

describe('a CommonJS module.exports object', () => {
  // Workers load it with Node's own loader (inline() here would use vitest's, which sees the names).
  for (const [name, adapter] of [['nodeWorkers', nodeWorkers], ['nodeProcesses', nodeProcesses]] as const) {
    it(`on ${name}: TaskNotFoundError says the task is on the default export, and how to export it by name`, async () => {
      const pool = new Pool({ adapter: adapter(), module, processes: 1 });
      try {
        const error = (await pool.apply('square', [3]).catch((e: unknown) => e)) as Error;
        expect(error).toBeInstanceOf(TaskNotFoundError);
        expect(error.message).toContain("it is a property of the module's default export");
        expect(error.message).toContain('exports.square = …');
        // A name that is nowhere still gets the usual words.
        expect(((await pool.apply('cube').catch((e: unknown) => e)) as Error).message).not.toContain('default export');
      } finally {
        await pool.terminate();
      }
    });
  }
});
