/**
 * Property-based tests of bad input (fast-check): random pool options, per-call options, task
 * names, arguments, chunk sizes and iterables that throw. Only the errors of DESIGN.md come out,
 * the pool stays usable, and no unhandled rejection reaches the host, not even from results
 * nobody awaited. A failure prints fast-check's seed and path; `POOL_TEST_SEED` replays a seed.
 */
import {
  AbortError, BrokenPoolError, DataCloneError, MaybeEncodingError, Pool, PoolStateError, TaskNotFoundError,
  TerminatedError, TimeoutError, WorkerExitError,
} from '@pool/core';
import fc from 'fast-check';
import type { Harness } from '../harness.js';
import { fixture, hostTurn, testSeed, until, watchUnhandled, within } from '../harness.js';

/** The pool's own errors (DESIGN.md's table), as classes. */
const poolErrors = [
  MaybeEncodingError, WorkerExitError, BrokenPoolError, TerminatedError, PoolStateError, TimeoutError,
  TaskNotFoundError, DataCloneError, AbortError,
];

/** Whether `error` is one the contract allows for a bad call: a pool error, or a TypeError / RangeError. */
function contractError(error: unknown): boolean {
  return poolErrors.some((cls) => error instanceof cls) || error instanceof TypeError || error instanceof RangeError ||
    (error instanceof Error && error.name === 'DataCloneError');
}


// ---- arbitrary values ------------------------------------------------------------------------

const huge = 'x'.repeat(1 << 20);
/** Values that cannot cross a structured clone, or are awkward: built fresh each time they are used. */
const oddValues: Record<string, () => unknown> = {
  function: () => () => 1,
  symbol: () => Symbol('odd'),
  cyclic: () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    a['list'] = [a, { back: a }];
    return a;
  },
  hugeString: () => huge,
  weakMap: () => new WeakMap(),
  weakSet: () => new WeakSet(),
  promise: () => Promise.resolve(1),
  proxy: () => new Proxy({ a: 1 }, {}),
  throwingGetter: () => ({
    get boom(): never {
      throw new Error('getter ran');
    },
  }),
  classInstance: () => new (class Point {
    x = 1;
    norm(): number {
      return this.x;
    }
  })(),
  nullProto: () => {
    const value = Object.create(null) as Record<string, unknown>;
    value['constructor'] = 2;
    value['toString'] = 'not a function';
    return value;
  },
  bigint: () => 2n ** 70n,
  error: () => new RangeError('an argument'),
  arrayBuffer: () => new ArrayBuffer(16),
  generator: () => (function* () {
    yield 1;
  })(),
  // biome-ignore lint/suspicious/noSparseArray: a hole in an argument is one of the values under test.
  sparse: () => [1, , 3],
};

const argument: fc.Arbitrary<() => unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true }).map((v) => () => v) },
  { weight: 2, arbitrary: fc.constantFrom(...Object.keys(oddValues)).map((k) => oddValues[k]!) },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }).map((v) => () => v) },
);

/** Task names: real exports that return promptly, and names that must give TaskNotFoundError. */
const safeTasks = [
  'square', 'add', 'identity', 'asyncSquare', 'typeError', 'rangeErrorWhen', 'asyncReject', 'richError', 'throwValue',
  'returnFunction', 'returnSymbol', 'errorWithFunctionProperty', 'roundTrip', 'describeValue', 'byteLength',
  'getWorkerId', 'count', 'getInitialized', 'failingInitializer',
];
/** Tasks whose own error (any value) may come back: the contract lets a task's error cross as it is. */
const throwingTasks = new Set(['typeError', 'rangeErrorWhen', 'asyncReject', 'richError', 'throwValue', 'errorWithFunctionProperty', 'failingInitializer']);
const functionTasks: Record<string, unknown> = {
  fnIdentity: (x: unknown) => x,
  fnThrows: () => {
    throw new RangeError('from a function task');
  },
  fnUnknownGlobal: () => (globalThis as unknown as { noSuchGlobalFunction: () => unknown }).noSuchGlobalFunction(),
  fnAsync: async (x: unknown) => [x],
};
const taskName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...safeTasks) },
  { weight: 1, arbitrary: fc.constantFrom('notATask', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'nope', ' square') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(...Object.keys(functionTasks)).map((k) => `fn:${k}`) },
  { weight: 1, arbitrary: fc.constantFrom('bad:number', 'bad:null', 'bad:object', 'bad:native', 'bad:empty') },
);
function resolveTask(name: string): unknown {
  if (name.startsWith('fn:')) return functionTasks[name.slice(3)];
  switch (name) {
    case 'bad:number': return 42;
    case 'bad:null': return null;
    case 'bad:object': return {};
    case 'bad:native': return Math.max;
    case 'bad:empty': return '';
    default: return name;
  }
}
/** Whether a call with this task may fail with the task's own error, which may be anything. */
const mayThrowAnything = (name: string): boolean => throwingTasks.has(name) || name.startsWith('fn:');

const method = fc.constantFrom('apply', 'applyAsync', 'map', 'mapAsync', 'starmap', 'starmapAsync', 'imap', 'imapUnordered');

/** Mostly good values, sometimes a bad one: a call then usually gets as far as the workers. */
const mostly = <T>(good: fc.Arbitrary<T>, ...bad: unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: fc.constantFrom(...bad) });
const callOptions = fc.record({
  chunksize: mostly(fc.integer({ min: 1, max: 40 }), 0, -1, 1.5, Number.NaN, Infinity, '2', null),
  timeout: mostly(fc.constantFrom(undefined, undefined, undefined, 0, 3, 10_000), -1, Number.NaN, Infinity, '5', null),
  retries: mostly(fc.constantFrom(undefined, 0, 1, 3), -1, 0.5, '1'),
  signal: mostly(fc.constantFrom('none', 'none', 'none', 'none', 'aborted', 'abortSoon'), 'bogus', 'null'),
  callback: mostly(fc.constantFrom('none', 'fn', 'throws'), 'number'),
  errorCallback: mostly(fc.constantFrom('none', 'fn', 'throws'), 'number'),
  transfer: mostly(fc.constantFrom('none', 'none', 'empty', 'buffer'), 'string', 'object'),
  unknownKey: mostly(fc.constant(undefined), 1),
  /** Options and sources where the method does not take them: chunksize on apply, an async source for map. */
  misplaced: mostly(fc.constant(false), true),
}, { requiredKeys: [] });
type CallOptions = typeof callOptions extends fc.Arbitrary<infer T> ? T : never;

/** A source of items: array, generator or async generator, throwing at `throwAt` (if within), or not iterable at all. */
const source = fc.record({
  kind: mostly(fc.constantFrom('array', 'array', 'generator', 'asyncGenerator', 'returnThrows'), 'notIterable', 'string') as fc.Arbitrary<string>,
  items: fc.array(argument, { maxLength: 30 }),
  throwAt: fc.integer({ min: 0, max: 40 }),
});
type Source = typeof source extends fc.Arbitrary<infer T> ? T : never;

class SourceError extends Error {}

function buildSource(spec: Source, star: boolean): { iterable: unknown; error: SourceError } {
  const error = new SourceError(`source threw at ${spec.throwAt}`);
  const items = spec.items.map((make) => (star ? [make()] : make()));
  switch (spec.kind) {
    case 'array': return { iterable: items, error };
    case 'string': return { iterable: 'abc', error };
    case 'notIterable': return { iterable: spec.throwAt % 2 ? 42 : { length: 2 }, error };
    case 'generator': return {
      iterable: (function* () {
        for (let i = 0; i < items.length; i++) {
          if (i === spec.throwAt) throw error;
          yield items[i];
        }
      })(),
      error,
    };
    case 'asyncGenerator': return {
      iterable: (async function* () {
        for (let i = 0; i < items.length; i++) {
          if (i === spec.throwAt) throw error;
          yield items[i];
        }
      })(),
      error,
    };
    default: return {
      // An iterator whose return() throws: leaving early must not surface that error.
      iterable: {
        [Symbol.iterator]() {
          let i = 0;
          return {
            next: () => (i < items.length ? { done: false, value: items[i++] } : { done: true, value: undefined }),
            return: () => {
              throw error;
            },
          };
        },
      },
      error,
    };
  }
}

function buildOptions(spec: CallOptions, callMethod: string): { options: Record<string, unknown>; afterSubmit: () => void } {
  const options: Record<string, unknown> = {};
  let afterSubmit = (): void => {};
  const takesCallbacks = ['apply', 'applyAsync', 'mapAsync', 'starmapAsync'].includes(callMethod) || spec.misplaced;
  if ('chunksize' in spec && (callMethod.includes('map') || spec.misplaced)) options['chunksize'] = spec.chunksize;
  if ('timeout' in spec) options['timeout'] = spec.timeout;
  if ('retries' in spec) options['retries'] = spec.retries;
  if (spec.unknownKey !== undefined) options['unknownOption'] = spec.unknownKey;
  switch (spec.signal) {
    case 'aborted': options['signal'] = AbortSignal.abort(new Error('aborted before')); break;
    case 'abortSoon': {
      const controller = new AbortController();
      options['signal'] = controller.signal;
      afterSubmit = () => controller.abort('aborted after submit');
      break;
    }
    case 'bogus': options['signal'] = { aborted: 'no' }; break;
    case 'null': options['signal'] = null; break;
  }
  const callbackOf = (kind: unknown): unknown =>
    kind === 'fn' ? () => {} : kind === 'throws' ? () => {
      throw new Error('callback threw');
    } : kind === 'number' ? 7 : undefined;
  // Callbacks only where they belong, unless misplaced: elsewhere they are unknown options (TypeError).
  if (takesCallbacks) {
    if (spec.callback !== undefined && spec.callback !== 'none') options['callback'] = callbackOf(spec.callback);
    if (spec.errorCallback !== undefined && spec.errorCallback !== 'none') options['errorCallback'] = callbackOf(spec.errorCallback);
  }
  switch (spec.transfer) {
    case 'empty': options['transfer'] = []; break;
    case 'buffer': options['transfer'] = [new ArrayBuffer(8)]; break;
    case 'string': options['transfer'] = 'buffer'; break;
    case 'object': options['transfer'] = [{}]; break;
  }
  return { options, afterSubmit };
}

type Outcome = { ok: true } | { ok: false; error: unknown; how: 'threw' | 'rejected' };

/** Makes one call the way a user would; `drop` leaves an AsyncResult unobserved. */
async function makeCall(
  pool: Pool, name: string, callMethod: string, args: Array<() => unknown>, spec: Source, optionSpec: CallOptions, drop: boolean,
): Promise<{ outcome: Outcome; sourceError: SourceError }> {
  const task = resolveTask(name);
  const star = callMethod.startsWith('starmap');
  // map and starmap take sync iterables only: an async one is a TypeError, tried only when misplaced.
  const kind = spec.kind === 'asyncGenerator' && !callMethod.startsWith('imap') && !optionSpec.misplaced ? 'generator' : spec.kind;
  const { iterable, error: sourceError } = buildSource({ ...spec, kind }, star);
  const asyncMethod = callMethod === 'applyAsync' || callMethod === 'mapAsync' || callMethod === 'starmapAsync';
  const { options, afterSubmit } = buildOptions(optionSpec, callMethod);
  const p = pool as unknown as Record<string, (...a: unknown[]) => unknown>;
  let submitted: unknown;
  try {
    submitted = callMethod === 'apply' || callMethod === 'applyAsync'
      ? p[callMethod]!.call(pool, task, args.map((make) => make()), options)
      : p[callMethod]!.call(pool, task, iterable, options);
  } catch (error) {
    return { outcome: { ok: false, error, how: 'threw' }, sourceError };
  }
  afterSubmit();
  try {
    if (callMethod === 'imap' || callMethod === 'imapUnordered') {
      const iterator = submitted as AsyncIterableIterator<unknown>;
      // Read some or all of it; leaving early must close it cleanly.
      const limit = spec.throwAt % 3 === 0 ? Infinity : spec.throwAt;
      let read = 0;
      for await (const value of iterator) {
        void value;
        if (++read >= limit) break;
      }
    } else if (drop && asyncMethod) {
      // Nobody awaits this one: it must settle anyway and never be an unhandled rejection.
      return { outcome: { ok: true }, sourceError };
    } else {
      await (submitted as PromiseLike<unknown>);
    }
    return { outcome: { ok: true }, sourceError };
  } catch (error) {
    return { outcome: { ok: false, error, how: 'rejected' }, sourceError };
  }
}

export default function properties(h: Harness): void {
  const { describe, it, expect } = h;

  describe('property: bad input', () => {
    it('random calls with random tasks, arguments, options and sources give only the contract\'s errors; the pool stays usable', async () => {
      const unhandled = watchUnhandled();
      const pool = new Pool({ adapter: h.adapter(), module: fixture('tasks.mjs'), processes: 2 });
      try {
        await fc.assert(fc.asyncProperty(
          taskName, method, fc.array(argument, { maxLength: 3 }), source, callOptions, fc.boolean(),
          async (name, callMethod, args, spec, optionSpec, drop) => {
            const { outcome, sourceError } = await makeCall(pool, name, callMethod, args, spec, optionSpec, drop);
            if (!outcome.ok) {
              const fine = contractError(outcome.error) || outcome.error === sourceError || mayThrowAnything(name);
              if (!fine) throw new Error(`${callMethod}(${name}) ${outcome.how} an error outside the contract: ${String(outcome.error)}`, { cause: outcome.error });
            }
            expect(pool.state).toBe('RUN');
            expect(await within(pool.apply('square', [7]), 20_000, 'a health check')).toBe(49);
          },
        ), { numRuns: 80, seed: testSeed(0x9e0b1), endOnFailure: true });
        // Dropped results settle too, and the job cache empties.
        await until(() => pool.stats().pending === 0 && pool.stats().queued === 0, 20_000, 'every call to settle');
        expect(await pool.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
        await hostTurn();
        await hostTurn();
        expect(unhandled.reasons).toEqual([]);
      } finally {
        unhandled.stop();
        await pool.terminate();
      }
    });

    it('a source that throws at a random point fails imap, imapUnordered and map at that point, after the results before it', async () => {
      const pool = new Pool({ adapter: h.adapter(), module: fixture('tasks.mjs'), processes: 2 });
      try {
        await fc.assert(fc.asyncProperty(
          fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 70 }), fc.integer({ min: 1, max: 8 }),
          fc.constantFrom('imap', 'imapUnordered', 'map'), fc.boolean(),
          async (length, throwAt, chunksize, callMethod, isAsync) => {
            const boom = new SourceError('boom');
            const throws = throwAt < length;
            async function* asyncSource() {
              for (let i = 0; i < length; i++) {
                if (i === throwAt) throw boom;
                yield i;
              }
            }
            function* syncSource() {
              for (let i = 0; i < length; i++) {
                if (i === throwAt) throw boom;
                yield i;
              }
            }
            const expected = Array.from({ length: throws ? throwAt : length }, (_, i) => i * i);
            if (callMethod === 'map') {
              const outcome = await pool.map('square', syncSource(), { chunksize }).then((v) => ({ v }), (e: unknown) => ({ e }));
              if (throws) expect(outcome).toEqual({ e: boom });
              else expect(outcome).toEqual({ v: expected });
              return;
            }
            const seen: number[] = [];
            let error: unknown;
            try {
              const iterable = isAsync ? asyncSource() : syncSource();
              for await (const y of pool[callMethod as 'imap']('square', iterable, { chunksize })) seen.push(y as number);
            } catch (e) {
              error = e;
            }
            expect(error).toBe(throws ? boom : undefined);
            expect(callMethod === 'imap' ? seen : [...seen].sort((a, b) => a - b)).toEqual(expected);
          },
        ), { numRuns: 40, seed: testSeed(0x9e0b2), endOnFailure: true });
        expect(pool.stats()).toMatchObject({ pending: 0, queued: 0, state: 'RUN' });
      } finally {
        await pool.terminate();
      }
    });

    it('random pool options construct a working pool or throw TypeError / RangeError; a pool that cannot start is BROKEN', async () => {
      const unhandled = watchUnhandled();
      try {
        await fc.assert(fc.asyncProperty(
          fc.record({
            adapter: mostly(fc.constant('real'), 'none', 'object', 'number') as fc.Arbitrary<string>,
            module: mostly(fc.constantFrom('fixture', 'fixture', 'missing'), 'number', 'empty', 'none') as fc.Arbitrary<string>,
            processes: mostly(fc.constantFrom(undefined, 1, 2), 0, -1, 1.5, Number.NaN, Infinity, '2', null),
            initializer: mostly(fc.constantFrom(undefined, 'initialize', 'fn'), 'failingInitializer', 'nope', '__proto__', 42, null),
            initargs: mostly(fc.constantFrom(undefined, [1]), 'x', 'fn', 'cyclic', null),
            maxTasksPerChild: mostly(fc.constantFrom(undefined, null, 1, 3), 0, -2, 2.5, '1'),
            extra: mostly(fc.constant(false), true),
          }, { requiredKeys: ['adapter', 'module'] }),
          mostly(fc.constant('object'), 'undefined', 'null', 'string'),
          async (spec, shape) => {
            const options: Record<string, unknown> = {};
            const adapters: Record<string, unknown> = { real: h.adapter(), object: { name: 'x' }, number: 1 };
            if (spec.adapter !== 'none') options['adapter'] = adapters[spec.adapter];
            if (spec.module !== 'none') {
              const modules: Record<string, unknown> = { fixture: fixture('tasks.mjs'), missing: fixture('no-such-module.mjs'), number: 42, empty: '' };
              options['module'] = modules[spec.module];
            }
            if ('processes' in spec) options['processes'] = spec.processes;
            if ('initializer' in spec) options['initializer'] = spec.initializer === 'fn' ? (x: unknown) => void x : spec.initializer;
            if ('initargs' in spec) {
              const cyclic: Record<string, unknown> = {};
              cyclic['self'] = cyclic;
              options['initargs'] = spec.initargs === 'fn' ? [() => 1] : spec.initargs === 'cyclic' ? [cyclic] : spec.initargs;
            }
            if ('maxTasksPerChild' in spec) options['maxTasksPerChild'] = spec.maxTasksPerChild;
            if (spec.extra) options['maxtasksperchild'] = 2;
            // A missing `processes` would start the runtime's default count: keep the run light.
            if (options['processes'] === undefined) options['processes'] = 2;
            const given = shape === 'object' ? options : shape === 'undefined' ? undefined : shape === 'null' ? null : 'options';
            let pool: Pool;
            try {
              pool = new Pool(given as never);
            } catch (error) {
              if (!(error instanceof TypeError || error instanceof RangeError)) throw new Error(`constructor threw ${String(error)}`, { cause: error });
              return;
            }
            try {
              const outcome = await within(pool.apply('square', [3]).then((v) => ({ v }), (e: unknown) => ({ e })), 20_000, 'the first task');
              // The pool cannot start when its module is missing, its initializer is not an
              // export that returns, or what it sends each worker cannot be cloned.
              const init = spec.initializer;
              const broken = spec.module === 'missing' ||
                (typeof init === 'string' && init !== 'fn' && (spec.module === 'none' || init !== 'initialize')) ||
                (spec.initargs === 'fn' && h.supports.clones);
              const error = 'e' in outcome ? outcome.e : undefined;
              if (broken) {
                expect(error).toBeInstanceOf(BrokenPoolError);
                expect(pool.state).toBe('BROKEN');
              } else if (spec.module === 'none') {
                // No task module: names cannot be found, but the pool itself is fine.
                expect(error).toBeInstanceOf(TaskNotFoundError);
                expect(await pool.apply((x: number) => x + 1, [1])).toBe(2);
              } else {
                expect(outcome).toEqual({ v: 9 });
                expect(pool.state).toBe('RUN');
                expect(await pool.map('square', [1, 2, 3, 4], { chunksize: 1 })).toEqual([1, 4, 9, 16]);
              }
            } finally {
              await within(pool.terminate(), 15_000, 'terminate()');
            }
            expect(pool.stats().workers).toBe(0);
          },
        ), { numRuns: 20, seed: testSeed(0x9e0b3), endOnFailure: true });
        await hostTurn();
        await hostTurn();
        expect(unhandled.reasons).toEqual([]);
      } finally {
        unhandled.stop();
      }
    });
  });
}
