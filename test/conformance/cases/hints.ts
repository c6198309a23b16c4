/**
 * Messages that teach: the first mistakes a newcomer makes get an error that says what to do.
 */
import { DataCloneError, TaskNotFoundError } from '@pool/core';
import { rejection, thrown, withPool, type Harness } from '../harness.js';

export default function hints(h: Harness): void {
  const { describe, it, expect } = h;

  describe('messages that teach', () => {
    if (h.supports.functionTasks) it('a function task using a closure variable says that function tasks are sent by source', () =>
      withPool(h, {}, async (pool) => {
        // An object, so that no transpiler can inline it as a constant.
        const factor = { value: 3 };
        const error = (await rejection(pool.apply((x: number) => x * factor.value, [2]))) as Error;
        expect(error).toBeInstanceOf(ReferenceError);
        expect(error.message).toMatch(/factor/);
        expect(error.message).toMatch(/sent to the worker as source text/);
        expect(error.message).toMatch(/Pass it as an argument/);
        // Async function tasks and map chunks get the same hint.
        const later = (await rejection(pool.map(async (x: number) => x * factor.value, [1, 2]))) as Error;
        expect(later).toBeInstanceOf(ReferenceError);
        expect(later.message).toMatch(/sent to the worker as source text/);
        // Once, however often the compiled task fails.
        const again = (await rejection(pool.apply((x: number) => x * factor.value, [2]))) as Error;
        expect(again.message.match(/hint:/g)).toHaveLength(1);
      }));

    it('a task name typo names the module and suggests the closest export', () =>
      withPool(h, {}, async (pool) => {
        const error = (await rejection(pool.apply('sqare', [2]))) as TaskNotFoundError;
        expect(error).toBeInstanceOf(TaskNotFoundError);
        expect(error.task).toBe('sqare');
        expect(error.message).toMatch(/fixtures\/tasks\.mjs/);
        expect(error.message).toMatch(/did you mean 'square'\?/);
        const notFunction = (await rejection(pool.apply('notATask'))) as TaskNotFoundError;
        expect(notFunction.message).toMatch(/is exported by .*tasks\.mjs but is not a function \(it is 42\)/);
        const farOff = (await rejection(pool.apply('somethingElseEntirely'))) as TaskNotFoundError;
        expect(farOff.message).not.toMatch(/did you mean/);
      }));

    it('map over an async iterable points to imap', () =>
      withPool(h, {}, async (pool) => {
        const source = (async function* () { yield 1; })();
        const error = (await rejection(pool.map('square', source as never))) as Error;
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toMatch(/async iterable.*imap\(\)/s);
        expect(thrown(() => pool.starmapAsync('add', source as never))).toBeInstanceOf(TypeError);
        const squares: number[] = [];
        for await (const y of pool.imap('square', (async function* () { yield 3; })())) squares.push(y as number);
        expect(squares).toEqual([9]);
      }));

    if (h.supports.cloning) {
      it('a DataCloneError says which argument could not be cloned', () =>
        withPool(h, {}, async (pool) => {
          const error = (await rejection(pool.apply('add', [1, { ok: true, onDone: () => 1 }]))) as DataCloneError;
          expect(error).toBeInstanceOf(DataCloneError);
          // Where the value was going: a worker, or for @pool/bullmq one of its hosts.
          const to = h.name === 'bullmq' ? 'a host' : 'a worker';
          expect(error.message).toContain(`argument 2 (args[1].onDone) cannot be sent to ${to}`);
          expect(error.cause).toBeDefined();
          const inMap = (await rejection(pool.map('identity', [1, Symbol('s'), 3]))) as DataCloneError;
          expect(inMap.message).toContain(`a map item (item) cannot be sent to ${to}: Symbol(s)`);
          expect(await pool.apply('add', [1, 2])).toBe(3);
        }));
    }
  });
}
