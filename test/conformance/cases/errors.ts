/** Errors cross intact; bad input costs only the call that made it. */
import { DataCloneError, MaybeEncodingError, TaskNotFoundError } from '@pool/core';
import type { Harness } from '../harness.js';
import { rejection, thrown, withPool } from '../harness.js';

export default function errors(h: Harness): void {
  const { describe, it, expect } = h;

  describe('task errors', () => {
    it('a built-in error comes back as its own class with message and the worker stack', () =>
      withPool(h, {}, async (pool) => {
        const error = (await rejection(pool.apply('typeError', ['bad thing']))) as Error;
        expect(error).toBeInstanceOf(TypeError);
        expect(error.name).toBe('TypeError');
        expect(error.message).toBe('bad thing');
        expect(error.stack).toMatch(/typeError/);
        expect(error.stack).toMatch(/tasks\.mjs/);
        const asyncError = (await rejection(pool.apply('asyncReject', ['later']))) as Error;
        expect(asyncError).toBeInstanceOf(SyntaxError);
        expect(asyncError.message).toBe('later');
      }));

    it('a custom error keeps its name, own data properties and cause chain', () =>
      withPool(h, {}, async (pool) => {
        const error = (await rejection(pool.apply('richError'))) as Error & Record<string, unknown>;
        expect(error).toBeInstanceOf(Error);
        expect(error.name).toBe('HttpError');
        expect(error.message).toBe('upstream failed');
        expect(error['status']).toBe(503);
        expect(error['code']).toBe('E_HTTP');
        expect(error['details']).toEqual({ retry: true, at: new Date(0) });
        const cause = error.cause as Error;
        expect(cause).toBeInstanceOf(RangeError);
        expect(cause.message).toBe('inner');
        expect((cause.cause as Error).message).toBe('root');
        expect(error.stack).toMatch(/richError/);
      }));

    it('a thrown non-Error value is rejected as that value', () =>
      withPool(h, {}, async (pool) => {
        expect(await rejection(pool.apply('throwValue', ['just a string']))).toBe('just a string');
        expect(await rejection(pool.apply('throwValue', [{ code: 42 }]))).toEqual({ code: 42 });
        expect(await rejection(pool.apply('throwValue', [null]))).toBe(null);
      }));

    it('map settles only when every chunk is back, with the first error', () =>
      withPool(h, {}, async (pool) => {
        const xs = Array.from({ length: 20 }, (_, i) => i);
        const result = pool.mapAsync('typeError', xs.map(String), { chunksize: 1 });
        const error = (await rejection(result)) as Error;
        expect(error).toBeInstanceOf(TypeError);
        expect(pool.stats().pending).toBe(0);
        const one = (await rejection(pool.starmap('rangeErrorWhen', xs.map((x) => [x, 7]), { chunksize: 3 }))) as Error;
        expect(one).toBeInstanceOf(RangeError);
        expect(one.message).toBe('bad item 7');
        // Every chunk ran, as in Python: the failing chunk alone failed.
        expect(pool.stats().pending).toBe(0);
        expect(await pool.map('square', [2])).toEqual([4]);
      }));

    it('map does not fail fast but still runs the other items (CPython test_map_no_failfast)', () =>
      withPool(h, {}, async (pool) => {
        const before = pool.stats();
        await rejection(pool.starmap('rangeErrorWhen', [[1, 1], [2, 1], [3, 1], [4, 1]], { chunksize: 1 }));
        const after = pool.stats();
        expect(after.completed - before.completed).toBe(3);
        expect(after.failed - before.failed).toBe(1);
      }));
  });

  describe('messages that are not the pool\'s', () => {
    it('what a task posts on its worker\'s own channel is ignored: the call returns and the pool carries on', () =>
      withPool(h, { processes: 1 }, async (pool) => {
        expect(['parentPort', 'process.send', 'self', 'none']).toContain(await pool.apply('postStray', [h.supports.isolation]));
        expect(await pool.map('square', [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
        expect(pool.stats()).toMatchObject({ pending: 0, failed: 0, workers: 1 });
      }));
  });

  describe('unknown tasks', () => {
    it('a missing name, a non-function export and prototype names give TaskNotFoundError', () =>
      withPool(h, {}, async (pool) => {
        for (const name of ['nope', 'notATask', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
          const error = await rejection(pool.apply(name));
          expect(error).toBeInstanceOf(TaskNotFoundError);
          expect((error as TaskNotFoundError).name).toBe('TaskNotFoundError');
          expect((error as TaskNotFoundError).message).toContain(name);
        }
        expect(await pool.apply('square', [2])).toBe(4);
      }));

    it('a task name that is not a string or function is a TypeError, thrown by applyAsync', () =>
      withPool(h, {}, async (pool) => {
        for (const bad of [42, null, undefined, {}, Symbol('x'), '']) {
          expect(thrown(() => pool.applyAsync(bad as never))).toBeInstanceOf(TypeError);
          await expect(pool.apply(bad as never)).rejects.toBeInstanceOf(TypeError);
          expect(thrown(() => pool.imap(bad as never, [1] as never))).toBeInstanceOf(TypeError);
        }
      }));
  });

  if (h.supports.cloning) describe('values that cannot cross', () => {
    it('an unsendable argument fails that call alone with DataCloneError', () =>
      withPool(h, {}, async (pool) => {
        const error = (await rejection(pool.apply('identity', [() => 1]))) as Error;
        expect(error).toBeInstanceOf(DataCloneError);
        expect(error.name).toBe('DataCloneError');
        const inMap = await rejection(pool.map('identity', [1, Symbol('s'), 3], { chunksize: 1 }));
        expect((inMap as Error).name).toBe('DataCloneError');
        expect(await pool.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
        expect(pool.stats().workers).toBe(2);
      }));

    it('an argument or map item behind a getter that throws fails that call alone with DataCloneError, sent at once or queued; nothing stays pending', () =>
      withPool(h, { processes: 1 }, async (pool) => {
        const throwing = (list: unknown[], at: number) =>
          Object.defineProperty(list, at, { enumerable: true, get: () => { throw new Error(`getter at ${at}`); } });
        // Alone, to an idle worker; then in the middle of a burst, queued behind others.
        expect(await rejection(pool.apply('identity', throwing([], 0)))).toBeInstanceOf(DataCloneError);
        const burst = [1, 2, 3, 4, 5].map((i) => pool.apply('identity', i === 3 ? throwing([], 0) : [i]).catch((e: unknown) => e));
        const settled = await Promise.all(burst);
        expect(settled[2]).toBeInstanceOf(DataCloneError);
        expect(settled.filter((_, i) => i !== 2)).toEqual([1, 2, 4, 5]);
        expect(await rejection(pool.map('identity', throwing([1, 2, 3], 1)))).toBeInstanceOf(DataCloneError);
        expect(pool.stats().pending).toBe(0);
        expect(await pool.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
      }));

    it('an unsendable result is a MaybeEncodingError and the worker carries on', () =>
      withPool(h, {}, async (pool) => {
        const error = (await rejection(pool.apply('returnFunction'))) as MaybeEncodingError;
        expect(error).toBeInstanceOf(MaybeEncodingError);
        expect(error.message).toMatch(/^Error sending result: '.*'\. Reason: '.*'$/s);
        expect(await rejection(pool.apply('returnSymbol'))).toBeInstanceOf(MaybeEncodingError);
        expect(await pool.apply('square', [5])).toBe(25);
      }));

    // Structured clone keeps an array's named properties; a codec that would drop them (msgpack,
    // a queue's) must refuse the value instead: never altered in silence, both ways.
    it("an array's named property arrives, or the call alone fails (DataCloneError / MaybeEncodingError)", () =>
      withPool(h, {}, async (pool) => {
        type Counted = number[] & { total: number };
        const outcome = (value: unknown): unknown =>
          value instanceof Error ? [value.name, /'total' property would be lost/.test(value.message)] : [[...(value as Counted)], (value as Counted).total];
        const sent = Object.assign([1, 2], { total: 2 });
        const back = outcome(await pool.apply('identity', [sent]).catch((error: unknown) => error));
        const made = outcome(await pool.apply('withTotal', [[1, 2, 3]]).catch((error: unknown) => error));
        const arrived = [[[1, 2], 2], [[1, 2, 3], 3]];
        // A channel clones natively, so there it always arrives; a queue may refuse it, never drop it.
        if (h.channel) expect([back, made]).toEqual(arrived);
        else {
          expect([arrived[0], ['DataCloneError', true]]).toContainEqual(back);
          expect([arrived[1], ['MaybeEncodingError', true]]).toContainEqual(made);
        }
        expect(await pool.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
      }));

    // Structured clone refuses a proxy; V8's serializer (processes) and msgpack (queues) read it
    // through its traps. Either way, nothing else: never an empty or partial object.
    it('a Proxy is refused with DataCloneError, or crosses as the plain object it shows', () =>
      withPool(h, {}, async (pool) => {
        const shown = { a: 1, list: [1, 2] };
        const back = await pool.apply('identity', [new Proxy(shown, {})]).catch((error: unknown) => error);
        if (back instanceof Error) expect(back).toBeInstanceOf(DataCloneError);
        else expect(back).toEqual(shown);
        expect(await pool.apply('square', [3])).toBe(9);
      }));

    it('an error with an unsendable property still crosses, less that property', () =>
      withPool(h, {}, async (pool) => {
        const error = (await rejection(pool.apply('errorWithFunctionProperty'))) as Error & Record<string, unknown>;
        expect(error.message).toBe('has a function');
        expect(error['code']).toBe('E_FN');
        expect(error['callback']).toBeUndefined();
        expect(error['unserializableProperties']).toEqual(['callback']);
      }));
  });
}
