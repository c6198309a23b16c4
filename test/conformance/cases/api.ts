/** The calls themselves: apply, map, starmap and their async forms; function tasks; chunking. */
import type { Harness } from '../harness.js';
import { rejection, thrown, withPool } from '../harness.js';

export default function api(h: Harness): void {
  const { describe, it, expect } = h;

  describe('apply and map', () => {
    it('apply runs a task with its arguments', () =>
      withPool(h, {}, async (pool) => {
        expect(await pool.apply('square', [7])).toBe(49);
        expect(await pool.apply('add', [2, 3])).toBe(5);
        expect(await pool.apply('asyncSquare', [9])).toBe(81);
      }));

    it('applyAsync returns an AsyncResult that resolves, and runs its callback once', () =>
      withPool(h, {}, async (pool) => {
        const seen: unknown[] = [];
        const result = pool.applyAsync('square', [5], { callback: (v) => seen.push(v) });
        expect(typeof result.then).toBe('function');
        expect(await result).toBe(25);
        expect(await result.get()).toBe(25);
        expect(seen).toEqual([25]);
      }));

    it('map returns results in input order', () =>
      withPool(h, {}, async (pool) => {
        const xs = Array.from({ length: 100 }, (_, i) => i);
        expect(await pool.map('square', xs)).toEqual(xs.map((x) => x * x));
      }));

    it('map takes any iterable, including a generator and a Set', () =>
      withPool(h, {}, async (pool) => {
        function* gen() {
          for (let i = 0; i < 10; i++) yield i;
        }
        expect(await pool.map('square', gen())).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
        expect(await pool.map('square', new Set([3, 4]))).toEqual([9, 16]);
      }));

    it('map reads its items when called: changing the array afterwards changes nothing', () =>
      withPool(h, {}, async (pool) => {
        // Numbers (packed on channels that clone, from a few hundred items) and strings (copied).
        const inputs: unknown[][] = [Array.from({ length: 20_000 }, (_, i) => i), Array.from({ length: 20_000 }, (_, i) => `s${i}`)];
        for (const items of inputs) {
          const expected = [...items];
          const result = pool.mapAsync('identity', items, { chunksize: 2_500 });
          items.fill(items[0]!);
          items.length = 10;
          expect(await result.get()).toEqual(expected);
        }
      }));

    it('map over an empty iterable resolves to [] and still calls the callback', () =>
      withPool(h, {}, async (pool) => {
        expect(await pool.map('square', [])).toEqual([]);
        const seen: unknown[] = [];
        const result = pool.mapAsync('square', [], { callback: (v) => seen.push(v) });
        expect(await result).toEqual([]);
        expect(seen).toEqual([[]]);
        const out: unknown[] = [];
        for await (const y of pool.imap('square', [])) out.push(y);
        expect(out).toEqual([]);
      }));

    it('map honours every chunksize, keeping order', () =>
      withPool(h, {}, async (pool) => {
        const xs = Array.from({ length: 37 }, (_, i) => i);
        for (const chunksize of [1, 2, 5, 36, 37, 100]) {
          expect(await pool.map('square', xs, { chunksize })).toEqual(xs.map((x) => x * x));
        }
      }));

    it('map cuts the input as Python does: ceil(len / (4 × processes)) items per chunk', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        const xs = Array.from({ length: 100 }, (_, i) => i);
        const before = pool.stats().completed;
        await pool.map('square', xs);
        // 100 items / (4 × 2) → chunks of 13 → 8 task units.
        expect(pool.stats().completed - before).toBe(8);
      }));

    it('starmap and starmapAsync spread each item as arguments', () =>
      withPool(h, {}, async (pool) => {
        const pairs: Array<[number, number]> = [[1, 2], [3, 4], [5, 6]];
        expect(await pool.starmap('add', pairs)).toEqual([3, 7, 11]);
        const seen: unknown[] = [];
        const result = pool.starmapAsync('add', pairs, { chunksize: 2, callback: (v) => seen.push(v) });
        expect(await result).toEqual([3, 7, 11]);
        expect(seen).toEqual([[3, 7, 11]]);
      }));

    it('starmap items that are not argument lists are a TypeError naming the item, before anything runs', () =>
      withPool(h, {}, async (pool) => {
        for (const items of [[1, 2], [[1, 2], null], [[1, 2], 'ab'], [[1, 2], undefined]]) {
          const error = thrown(() => pool.starmapAsync('add', items as never));
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toMatch(/array of arguments, got .* at index [01]$/);
          expect(await rejection(pool.starmap('add', items as never))).toBeInstanceOf(TypeError);
        }
        expect(pool.stats()).toMatchObject({ pending: 0, completed: 0 });
        // Any iterable item is an argument list, as apply's args may be.
        expect(await pool.starmap('add', [new Set([1, 2]), [3, 4]] as never)).toEqual([3, 7]);
      }));

    it('mapAsync runs callback exactly once with the whole list, before the result settles', () =>
      withPool(h, {}, async (pool) => {
        const calls: unknown[] = [];
        const result = pool.mapAsync('square', [1, 2, 3], {
          chunksize: 1,
          callback: (v) => calls.push(['callback', v, result.ready()]),
          errorCallback: (e) => calls.push(['errorCallback', e]),
        });
        await result;
        expect(calls).toEqual([['callback', [1, 4, 9], true]]);
      }));
  });

  if (h.supports.functionTasks) describe('function tasks', () => {
    it('runs a task export as it is now: one the module reassigns runs its new function', () =>
      withPool(h, { processes: 1 }, async (pool) => {
        // Back to back, so the second call is the same task name on the same worker.
        expect(await Promise.all([pool.apply('swappable'), pool.apply('swappable')])).toEqual(['first', 'second']);
      }));

    it('runs self-contained functions sent by their source', () =>
      withPool(h, {}, async (pool) => {
        expect(await pool.apply((a: number, b: number) => a * b, [6, 7])).toBe(42);
        expect(await pool.apply(function named(x: number) { return x + 1; }, [1])).toBe(2);
        expect(await pool.apply(async (x: number) => x * 3, [3])).toBe(9);
        expect(await pool.map((x: number) => x - 1, [1, 2, 3])).toEqual([0, 1, 2]);
        const holder = { twice(x: number) { return 2 * x; } };
        expect(await pool.apply(holder.twice, [21])).toBe(42);
      }));

    it('a function task’s source is read once however many calls use it, with options or without; a refused one is refused every time', () =>
      withPool(h, {}, async (pool) => {
        const cube = (x: number) => x * x * x;
        const sourceOf = Function.prototype.toString;
        let reads = 0;
        Function.prototype.toString = function (this: unknown) {
          if (this === cube) reads++;
          return sourceOf.call(this as () => void);
        };
        try {
          const calls = Array.from({ length: 60 }, (_, i) => pool.apply(cube, [i], [undefined, { timeout: 60_000 }, { retries: 1 }][i % 3]));
          expect(await Promise.all(calls)).toEqual(Array.from({ length: 60 }, (_, i) => i ** 3));
          expect(await pool.map(cube, [1, 2], { chunksize: 1 })).toEqual([1, 8]);
        } finally {
          Function.prototype.toString = sourceOf;
        }
        expect(reads).toBe(1);
        const bound = cube.bind(null);
        for (let i = 0; i < 2; i++) expect(thrown(() => pool.applyAsync(bound, [1], { timeout: 1_000 }))).toBeInstanceOf(TypeError);
      }));

    it('rejects a bound or native function with a TypeError, synchronously for applyAsync', () =>
      withPool(h, {}, async (pool) => {
        const bound = ((x: number) => x).bind(null);
        expect(thrown(() => pool.applyAsync(bound, [1]))).toBeInstanceOf(TypeError);
        await expect(pool.apply(Math.max, [1, 2])).rejects.toBeInstanceOf(TypeError);
        expect(await pool.apply('square', [3])).toBe(9);
      }));

    it('a function task that references something missing in the worker fails that call alone', () =>
      withPool(h, {}, async (pool) => {
        // An object, so that no transpiler can inline it as a constant.
        const local = { value: 10 };
        const error = await pool.apply(() => local.value, []).catch((e: unknown) => e);
        // inline() shares the caller's scope only by accident of compilation: it still compiles
        // from source, so the closure variable is missing there too.
        expect(error).toBeInstanceOf(ReferenceError);
        expect(await pool.apply('square', [4])).toBe(16);
      }));
  });

  describe('values', () => {
    it('round-trips structured values: Map, Set, Date, BigInt, typed arrays, nested objects', () =>
      withPool(h, {}, async (pool) => {
        const value = {
          map: new Map([['a', 1]]),
          set: new Set([1, 2]),
          date: new Date(1_700_000_000_000),
          big: 2n ** 70n,
          bytes: new Uint8Array([1, 2, 3]),
          nested: { list: [1, 'two', null, undefined, true] },
          regexp: /x+/gi,
        };
        expect(await pool.apply('roundTrip', [value])).toEqual(value);
      }));

    // Channels only: a queue's codec refuses some of these (DataCloneError) rather than alter them.
    if (h.channel) it('values JSON would alter arrive exact: shared and cyclic references, holes, undefined, -0, a match array’s properties', () =>
      withPool(h, {}, async (pool) => {
        const shared = { n: 1 };
        const cyclic: Record<string, unknown> = { name: 'c' };
        cyclic['self'] = cyclic;
        const sent = {
          pair: [shared, shared],
          cyclic,
          // biome-ignore lint/suspicious/noSparseArray: a hole is what JSON would fill in.
          holes: [1, , 3],
          undefinedItem: [undefined],
          undefinedField: { u: undefined },
          numbers: [-0, Number.NaN, Number.NEGATIVE_INFINITY],
          match: /(?<word>b+)/.exec('abbc')!,
          lone: '\ud800 and \udfff',
          nullProto: Object.assign(Object.create(null) as object, { a: 1 }),
        };
        // Both ways: as an argument, and as the result that carries it back.
        const back = (await pool.apply('identity', [sent])) as typeof sent;
        expect(back.pair[0]).toBe(back.pair[1]);
        expect(back.cyclic['self']).toBe(back.cyclic);
        expect(back.holes).toHaveLength(3);
        expect(1 in back.holes).toBe(false);
        expect(0 in back.undefinedItem).toBe(true);
        expect('u' in back.undefinedField).toBe(true);
        expect(back.numbers.map((n) => Object.is(n, -0) ? '-0' : String(n))).toEqual(['-0', 'NaN', '-Infinity']);
        expect([...back.match]).toEqual(['bb', 'bb']);
        expect([back.match.index, back.match.input, { ...back.match.groups }]).toEqual([1, 'abbc', { word: 'bb' }]);
        expect(back.lone).toBe('\ud800 and \udfff');
        expect({ ...back.nullProto }).toEqual({ a: 1 });
        // One such value in a chunk of plain ones, and in a value a task makes.
        const items = [1, 2, -0, 4];
        expect((await pool.map('identity', items, { chunksize: 4 })).map((n) => Object.is(n, -0))).toEqual([false, false, true, false]);
      }));

    it(h.supports.cloning ? 'copies values: the task sees a clone' : 'passes values by reference', () =>
      withPool(h, {}, async (pool) => {
        const value = { n: 1 };
        const back = await pool.apply('identity', [value]);
        expect(back).toEqual(value);
        expect(back === value).toBe(!h.supports.cloning);
      }));

    it('map and imap carry every number exactly, in chunks of numbers only and in mixed ones', () =>
      withPool(h, {}, async (pool) => {
        // -0 too: msgpack (a queue's codec) writes it as 0 unless it is told otherwise.
        const special = [0, -0, 1.5, -2.25, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, -(2 ** 53), 5e-324, Number.MAX_VALUE];
        // Long chunks of numbers alone may travel packed; the same numbers must come back, as an array.
        const numbers = Array.from({ length: 500 }, (_, i) => special[i % special.length]! * (i % 3 === 0 ? 1 : i));
        const same = (back: unknown[], sent: unknown[]): boolean => back.length === sent.length && back.every((v, i) => Object.is(v, sent[i]));
        const mapped = await pool.map('identity', numbers, { chunksize: 100 });
        expect(Array.isArray(mapped)).toBe(true);
        expect(same(mapped, numbers)).toBe(true);
        expect(new Set(await pool.map('describeValue', numbers, { chunksize: 100 }))).toEqual(new Set(['[object Number]']));
        const imapped: unknown[] = [];
        for await (const value of pool.imap('identity', numbers, { chunksize: 100 })) imapped.push(value);
        expect(same(imapped, numbers)).toBe(true);
        // One item that is not a number keeps its chunk as it is.
        const mixed: unknown[] = [...numbers.slice(0, 99), '99', 2n, ...numbers.slice(101)];
        expect(same(await pool.map('identity', mixed, { chunksize: 100 }), mixed)).toBe(true);
        // Chunks long enough to travel packed (from 512 numbers where buffers cross, past 4,096 on
        // a serializer): 32-bit integers alone, and the same with one value that is not one.
        const integers = Array.from({ length: 5_000 }, (_, i) => [2 ** 31 - 1, -(2 ** 31), 0, -1, i * 7][i % 5]!);
        const imapOf = async (items: number[], chunksize: number): Promise<unknown[]> => {
          const back: unknown[] = [];
          for await (const value of pool.imap('identity', items, { chunksize })) back.push(value);
          return back;
        };
        expect(same(await pool.map('identity', integers, { chunksize: 5_000 }), integers)).toBe(true);
        expect(same(await pool.map('identity', integers, { chunksize: 1_000 }), integers)).toBe(true);
        expect(same(await imapOf(integers, 1_000), integers)).toBe(true);
        for (const odd of [-0, 2 ** 31, -(2 ** 31) - 1, 0.5, Number.NaN]) {
          const chunk = integers.with(4_321, odd);
          expect(same(await pool.map('identity', chunk, { chunksize: 5_000 }), chunk)).toBe(true);
          expect(same(await pool.map('identity', chunk, { chunksize: 1_000 }), chunk)).toBe(true);
          expect(same(await imapOf(chunk, 1_000), chunk)).toBe(true);
        }
        // Values a worker writes packed widen as they come: to doubles, then to anything.
        const late: unknown[] = integers.with(10, 0.5);
        late[4_321] = 'x';
        expect(same(await pool.map('identity', late, { chunksize: 5_000 }), late)).toBe(true);
        expect(same(await pool.map('identity', late, { chunksize: 1_000 }), late)).toBe(true);
        // Items given as a typed array: the same numbers, whether its chunks go packed or not; the
        // result is an array, as ever. A typed array of bigints is read as any other iterable.
        const doubles = Float64Array.from(numbers);
        for (const chunksize of [100, 500, undefined]) expect(same(await pool.map('identity', doubles, { chunksize }), numbers)).toBe(true);
        const int32s = Int32Array.from(integers);
        for (const chunksize of [100, 1_000, 5_000]) expect(same(await pool.map('identity', int32s, { chunksize }), integers)).toBe(true);
        const bytes = Uint8Array.from(integers, (n) => n & 255);
        expect(same(await pool.map('identity', bytes, { chunksize: 5_000 }), [...bytes])).toBe(true);
        expect(await pool.map('square', new Int16Array([-3, 4]))).toEqual([9, 16]);
        expect(await pool.map('identity', new BigInt64Array([1n, -2n]))).toEqual([1n, -2n]);
        expect(Array.isArray(await pool.map('identity', int32s, { chunksize: 5_000 }))).toBe(true);
        // -0 inside other values, both ways (what Math.round(-0.4) gives).
        const nested = { n: -0, list: [1, -0], map: new Map([['k', -0]]), set: new Set([[-0]]), rounded: Math.round(-0.4) };
        const back = (await pool.apply('identity', [nested])) as typeof nested;
        expect([back.n, back.list[1], back.map.get('k'), [...back.set][0]![0], back.rounded].every((n) => Object.is(n, -0))).toBe(true);
        // Results that are not all numbers come back as they are, from a chunk of numbers.
        expect(await pool.map('describeValue', [1, 2, 3], { chunksize: 100 })).toEqual(['[object Number]', '[object Number]', '[object Number]']);
      }));

    it('accepts arguments as any iterable and rejects non-iterable arguments with TypeError', () =>
      withPool(h, {}, async (pool) => {
        expect(await pool.apply('add', new Set([1, 2]) as unknown as [number, number])).toBe(3);
        expect(thrown(() => pool.applyAsync('square', 5 as never))).toBeInstanceOf(TypeError);
        await expect(pool.apply('square', 5 as never)).rejects.toBeInstanceOf(TypeError);
      }));
  });
}
