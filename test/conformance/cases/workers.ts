/** Workers: initializer, lifetime, death and replacement, and the broken pool. */
import { BrokenPoolError, TaskKind, TaskNotFoundError, TimeoutError, WorkerExitError, protocolVersion, type Adapter, type FromWorker } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, hostTurn, interceptSends, rejection, thrown, until, watchUnhandled, withPool, within } from '../harness.js';

export default function workers(h: Harness): void {
  const { describe, it, expect } = h;

  describe('initializer', () => {
    it('runs once in each worker with initargs, before the first task', () =>
      withPool(h, { initializer: 'initialize', initargs: [{ ready: true }] }, async (pool) => {
        expect(await pool.map('getInitialized', [1, 2, 3, 4], { chunksize: 1 })).toEqual(Array(4).fill({ ready: true }));
      }));

    if (h.supports.functionTasks) it('may be a self-contained function', () =>
      withPool(h, { initializer: (x: number) => { (globalThis as Record<string, unknown>)['poolInitArg'] = x; }, initargs: [7] }, async (pool) => {
        expect(await pool.apply(() => (globalThis as Record<string, unknown>)['poolInitArg'])).toBe(7);
      }));
  });

  describe('a broken pool', () => {
    // The real adapter, whose spawn() starts failing after the first workers (as a runtime out of threads would).
    if (h.channel && h.supports.isolation) it('a replacement that cannot be spawned breaks the pool with that error; nothing escapes as an unhandled rejection', async () => {
      const { Pool } = await import('@pool/core');
      const real = h.adapter() as Adapter;
      const refusal = new Error('no more workers today');
      let spawns = 0;
      const failing: Adapter = { ...real, spawn: (events) => {
        if (++spawns > 2) throw refusal;
        return real.spawn(events);
      } };
      const unhandled = watchUnhandled();
      const pool = new Pool({ adapter: failing, module: fixture('tasks.mjs'), processes: 2 });
      try {
        const death = await rejection(pool.apply('exitWorker', [3]));
        expect(death).toBeInstanceOf(WorkerExitError);
        await until(() => pool.state === 'BROKEN', 10_000, 'the pool to break');
        const error = await rejection(pool.apply('square', [2]));
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect((error as Error).cause).toBe(refusal);
        expect((error as Error).message).toContain('no more workers today');
        await within(pool.terminate(), 10_000, 'terminate()');
        await hostTurn();
        expect(unhandled.reasons).toEqual([]);
      } finally {
        unhandled.stop();
        await pool.terminate();
      }
    });

    if (h.supports.filePaths && h.supports.loadsModule) it('a task module that is not there breaks the pool with BrokenPoolError, saying where a relative path was looked for', async () => {
      const { Pool } = await import('@pool/core');
      const pool = new Pool({ adapter: h.adapter(), module: 'no-such-tasks.mjs', processes: 1 });
      try {
        const error = (await rejection(pool.apply('square', [2]))) as Error;
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect(error.message).toMatch(/no task module at \S*no-such-tasks\.mjs\. A relative 'module' path is taken against the working directory \(process\.cwd\(\)\)/);
        expect(error.message).toContain("new URL('./tasks.js', import.meta.url)");
      } finally {
        await pool.terminate();
      }
    });

    it('a failing initializer breaks the pool: BrokenPoolError with the cause, no respawn loop', () =>
      withPool(h, { initializer: 'failingInitializer' }, async (pool) => {
        const pending = pool.applyAsync('square', [2]);
        const error = await rejection(pending);
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect(((error as Error).cause as Error)).toBeInstanceOf(RangeError);
        expect(((error as Error).cause as Error).message).toBe('initializer failed');
        expect(pool.state).toBe('BROKEN');
        expect(thrown(() => pool.applyAsync('square', [1]))).toBeInstanceOf(BrokenPoolError);
        expect(thrown(() => pool.imap('square', [1]))).toBeInstanceOf(BrokenPoolError);
        expect(await rejection(pool.map('square', [1]))).toBeInstanceOf(BrokenPoolError);
        await until(() => pool.stats().workers === 0, 10_000, 'workers to be stopped');
        expect(pool.stats().pending).toBe(0);
      }));

    // Where the pool clones what it sends to its own workers; a queue checks initargs as the pool is made.
    if (h.supports.cloning && 'spawn' in h.adapter()) it('initargs that cannot be sent break the pool: BrokenPoolError naming initargs, DataCloneError as cause', () =>
      withPool(h, { initializer: 'square', initargs: [() => 1] }, async (pool) => {
        const error = (await rejection(pool.apply('square', [2]))) as Error;
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect(error.message).toContain("('initargs') cannot be sent to a worker");
        expect((error.cause as Error).name).toBe('DataCloneError');
        expect(pool.state).toBe('BROKEN');
      }));

    it('an initializer that is not an export breaks the pool with TaskNotFoundError as cause', () =>
      withPool(h, { initializer: 'noSuchInitializer' }, async (pool) => {
        const error = (await rejection(pool.apply('square', [2]))) as Error;
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect(error.cause).toBeInstanceOf(TaskNotFoundError);
      }));

    // Where workers load the pool's module; a queue's hosts load theirs, and refuse to start on a bad one.
    if (h.supports.loadsModule) it('a module that throws while loading breaks the pool', () =>
      withPool(h, { module: fixture('throws-on-load.mjs') }, async (pool) => {
        const error = (await rejection(pool.apply('square', [2]))) as Error;
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect((error.cause as Error).message).toBe('module failed to load');
        expect(pool.state).toBe('BROKEN');
      }));

    it('bad startTimeout values are typed errors naming the option; a queue adapter, whose hosts load the module, refuses it', async () => {
      const { Pool } = await import('@pool/core');
      const make = (startTimeout: unknown) => () => new Pool({ adapter: h.adapter(), module: fixture('tasks.mjs'), processes: 1, startTimeout } as never);
      for (const bad of [-1, 0, Number.POSITIVE_INFINITY, Number.NaN, 2 ** 31]) {
        expect(thrown(make(bad))).toBeInstanceOf(RangeError);
        expect((thrown(make(bad)) as Error).message).toContain("'startTimeout'");
      }
      expect(thrown(make('5'))).toBeInstanceOf(TypeError);
      if ('open' in h.adapter()) expect((thrown(make(1_000)) as Error).message).toMatch(/starts no workers of its own.*'startTimeout'/);
    });

    // Pools that start workers of their own; a queue adapter refuses the option (its hosts load the
    // module). Isolated ones: inline() would keep the stuck import in the caller's own realm (Deno
    // reports it at exit as an error of the process).
    if (h.supports.loadsModule && h.supports.isolation && 'spawn' in h.adapter()) it('startTimeout: a module whose top-level await never settles breaks the pool instead of leaving calls pending', () =>
      withPool(h, { module: fixture('hangs-on-load.mjs'), startTimeout: 300 }, async (pool) => {
        const pending = [pool.apply('square', [2]), pool.map('square', [1, 2, 3])];
        const errors = (await within(Promise.all(pending.map(rejection)), 10_000, 'the calls to settle')) as Error[];
        for (const error of errors) {
          expect(error).toBeInstanceOf(BrokenPoolError);
          expect(error.message).toMatch(/did not become ready within startTimeout \(300 ms\)/);
          expect(error.cause).toBeInstanceOf(TimeoutError);
        }
        expect(pool.state).toBe('BROKEN');
        expect(pool.stats().pending).toBe(0);
        // The stuck workers are stopped, not left waiting.
        await until(() => pool.stats().workers === 0, 10_000, 'the stuck workers to be stopped');
      }));

    if ('spawn' in h.adapter()) it('startTimeout: an initializer that never settles breaks the pool the same way', () =>
      withPool(h, { initializer: 'hangingInitializer', startTimeout: 300 }, async (pool) => {
        const error = (await within(rejection(pool.apply('square', [2])), 10_000, 'the call to settle')) as Error;
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect(error.cause).toBeInstanceOf(TimeoutError);
        expect(pool.state).toBe('BROKEN');
      }));

    // A worker that became ready is past it: a task running longer than startTimeout is not cut short.
    if ('spawn' in h.adapter()) it('startTimeout: workers that became ready in time run tasks longer than it, and replacements start under it', () =>
      withPool(h, { startTimeout: 1_500, maxTasksPerChild: h.supports.isolation ? 1 : undefined, processes: 1 }, async (pool) => {
        expect(await pool.apply('sleepThen', [1_600, 'slow'])).toBe('slow');
        expect(await pool.map('square', [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
        expect(pool.state).toBe('RUN');
      }));

    it('a module that does not exist breaks the pool', () =>
      withPool(h, { module: fixture('does-not-exist.mjs') }, async (pool) => {
        expect(await rejection(pool.apply('square', [2]))).toBeInstanceOf(BrokenPoolError);
        expect(pool.state).toBe('BROKEN');
      }));

    // Channel adapters: the pool's own init message is bent here. Queue adapters test it on their hosts.
    if (h.channel) it('a worker speaking another protocol version refuses to start: BrokenPoolError says why', async () => {
      const { Pool } = await import('@pool/core');
      // The pool's side of another @pool/core version: the same init, another protocol number.
      const skewed = interceptSends(h.adapter() as Adapter, (message, forward) =>
        forward(message.type === 'init' ? { ...message, protocol: 999 } : message));
      const pool = new Pool({ adapter: skewed, module: fixture('tasks.mjs'), processes: 1 });
      try {
        const error = (await rejection(pool.apply('square', [2]))) as Error;
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect((error.cause as Error).message).toContain(`protocol ${protocolVersion}, the pool's 999`);
      } finally {
        await pool.terminate();
      }
    });

    it('close() and join() on a broken pool resolve; terminate() still works', async () => {
      const { Pool } = await import('@pool/core');
      const pool = new Pool({ adapter: h.adapter(), module: fixture('throws-on-load.mjs'), processes: 2 });
      await rejection(pool.apply('square', [1]));
      pool.close();
      expect(pool.state).toBe('BROKEN');
      await pool.join();
      await pool.terminate();
      expect(pool.stats().workers).toBe(0);
    });
  });

  // Channel adapters: what goes on the wire is seen by wrapping the adapter's handles.
  if ('spawn' in h.adapter()) describe('batching', () => {
    it('a short call does not wait behind a long async one while another worker is free: the units held behind it go back', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        // Short units first: the workers then take several at once.
        await pool.map('square', Array.from({ length: 200 }, (_, i) => i), { chunksize: 1 });
        const order: string[] = [];
        const done = (value: string) => void order.push(value);
        const long = pool.apply('sleepThen', [1_500, 'long']).then(done);
        const shorts = [1, 2, 3, 4].map((i) => pool.apply('sleepThen', [5, `short ${i}`]).then(done));
        await Promise.all([long, ...shorts]);
        expect(order.at(-1)).toBe('long');
      }));

    it('units with large arguments (64 KiB and up) go one per message; small ones may share one', async () => {
      const { Pool } = await import('@pool/core');
      const batches: unknown[][] = [];
      const seen = interceptSends(h.adapter() as Adapter, (message, forward) => {
        if (message.type === 'batch') batches.push(message.args.map((a) => (message.single ? a : (a as unknown[])[0])));
        forward(message);
      });
      const pool = new Pool({ adapter: seen, module: fixture('tasks.mjs'), processes: 1 });
      try {
        // Short tasks first, so the worker's pace is known and it takes several units at once.
        for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 200 }, (_, i) => pool.apply('square', [i])));
        const sizes = [16, 64 * 1024, 1 << 20];
        const calls = Array.from({ length: 60 }, (_, i) => new Uint8Array(sizes[i % 3]!));
        const strings = Array.from({ length: 30 }, (_, i) => 'x'.repeat(i % 2 ? 64 * 1024 : 8));
        expect(await Promise.all(calls.map((b) => pool.apply('byteLength', [b])))).toEqual(calls.map((b) => b.byteLength));
        expect(await Promise.all(strings.map((s) => pool.apply('roundTrip', [s])))).toEqual(strings);
        const size = (a: unknown) => (typeof a === 'string' ? a.length : ArrayBuffer.isView(a) ? a.byteLength : 0);
        expect(batches.flat().filter((a) => size(a) >= 64 * 1024)).toEqual([]);
        expect(batches.length).toBeGreaterThan(0);
      } finally {
        await pool.terminate();
      }
    });

    it('applies with options of their own (timeout, signal, retries) share messages as option-free ones do, each keeping its options', async () => {
      const { AbortError, Pool } = await import('@pool/core');
      let inBatches = 0;
      const seen = interceptSends(h.adapter() as Adapter, (message, forward) => {
        if (message.type === 'batch') inBatches += message.args.length;
        forward(message);
      });
      const pool = new Pool({ adapter: seen, module: fixture('tasks.mjs'), processes: 1 });
      try {
        // Short tasks first, so the worker's pace is known and it takes several units at once.
        for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 200 }, (_, i) => pool.apply('square', [i])));
        inBatches = 0;
        const controllers = Array.from({ length: 200 }, () => new AbortController());
        const calls = controllers.map((controller, i) =>
          pool.apply('square', [i], i % 2 === 1 ? { signal: controller.signal } : { timeout: 60_000, retries: 1 }));
        controllers[7]!.abort('not this one');
        const results = await Promise.allSettled(calls);
        const error = results[7]!.status === 'rejected' ? results[7]!.reason : undefined;
        expect(error).toBeInstanceOf(AbortError);
        expect((error as Error).cause).toBe('not this one');
        expect(results.filter((_, i) => i !== 7)).toEqual(
          Array.from({ length: 200 }, (_, i) => ({ status: 'fulfilled', value: i * i })).filter((_, i) => i !== 7));
        // Each apply has its own options, yet most went in batch messages: on the old code, none did.
        expect(inBatches).toBeGreaterThanOrEqual(100);
      } finally {
        await pool.terminate();
      }
    });

    it('answers held together do not wait behind a unit whose task ran long last time, nor behind a long unit', async () => {
      const { Pool } = await import('@pool/core');
      const real = h.adapter() as Adapter;
      // For each answer message, the tasks of the units it answers (ids are per worker: one worker here).
      const taskOf = new Map<number, unknown>();
      const answered: unknown[][] = [];
      const seen = {
        ...real,
        spawn: (events: Parameters<typeof real.spawn>[0]) => {
          const handle = real.spawn({
            exit: (exit) => events.exit(exit),
            message: (message) => {
              if (message.type === 'values') answered.push(message.values.map((_, i) => taskOf.get(message.id + i)));
              if (message.type === 'ok') answered.push([taskOf.get(message.id)]);
              events.message(message);
            },
          });
          return {
            ...handle,
            send: (message: Parameters<typeof handle.send>[0], transfer?: readonly unknown[]) => {
              if (message.type === 'task') taskOf.set(message.id, message.task);
              if (message.type === 'batch') for (let i = 0; i < message.args.length; i++) taskOf.set(message.id + i, message.task);
              return handle.send(message, transfer);
            },
          };
        },
      };
      const pool = new Pool({ adapter: seen, module: fixture('tasks.mjs'), processes: 1 });
      try {
        // Short tasks first, so the worker's pace is known and it takes several units at once.
        for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 200 }, (_, i) => pool.apply('square', [i])));
        expect(await pool.apply('busy', [5])).toBe(5);
        answered.length = 0;
        // One tick: short calls, a long one of a task known to be slow, short calls again.
        const calls = [
          ...Array.from({ length: 20 }, (_, i) => pool.apply('square', [i])),
          pool.apply('busy', [50]),
          ...Array.from({ length: 20 }, (_, i) => pool.apply('square', [i])),
        ];
        await Promise.all(calls);
        // The long unit is answered on its own: what ran before it left before it started, and
        // its answer left before the next unit started.
        expect(answered.filter((tasks) => tasks.includes('busy'))).toEqual([['busy']]);
      } finally {
        await pool.terminate();
      }
    });

    // The worker's side, at its channel: one batch whose first unit runs 20 ms, the rest nothing.
    if (h.supports.isolation) it('a worker gives back the units it holds behind a unit that turned out long', async () => {
      const real = h.adapter() as Adapter;
      const got: FromWorker[] = [];
      let exited = false;
      const handle = real.spawn({
        message: (message) => void got.push(message),
        exit: () => {
          exited = true;
        },
      });
      try {
        handle.send({
          type: 'init', protocol: protocolVersion, module: fixture('tasks.mjs').href, initializer: null, initargs: [],
          progress: null, batchAnswers: true, packFrom: 0,
        });
        await until(() => got.some((m) => m.type === 'ready') || exited, 10_000, 'the worker to be ready');
        handle.send({ type: 'batch', id: 0, kind: TaskKind.Call, task: 'busy', args: [20, 0, 0, 0, 0], single: true });
        const answered = () => got.flatMap((m) => (m.type === 'ok' ? [m.id] : m.type === 'values' ? m.values.map((_, i) => m.id + i) : []));
        const returned = () => got.flatMap((m) => (m.type === 'returned' ? m.ids : []));
        await until(() => answered().length + returned().length === 5, 10_000, 'every unit to be answered or returned');
        // Unit 1 had started when the worker timed unit 0; the three behind it come back unstarted.
        expect(answered().sort()).toEqual([0, 1]);
        expect(returned()).toEqual([2, 3, 4]);
        // How long unit 0 took, as the worker measured it (busy(20) reads a coarser clock).
        const took = got.flatMap((m) => (m.type === 'returned' ? [m.ms] : []));
        expect(took.length).toBe(1);
        expect(took[0]! > 15).toBe(true);
      } finally {
        await handle.terminate();
      }
    });

    // The pool's side: a worker's first batch of several units comes straight back, unstarted.
    it('units a worker gives back go back to the queue, and each still runs exactly once', async () => {
      const { Pool } = await import('@pool/core');
      let returned = 0;
      const giving = interceptSends(h.adapter() as Adapter, (message, forward, events) => {
        if (message.type !== 'batch' || message.args.length < 2 || returned > 0) return forward(message);
        // As a worker that saw its first unit run long would: all of them back, none run.
        const ids = message.args.map((_, i) => message.id + i);
        returned = ids.length;
        queueMicrotask(() => events.message({ type: 'returned', ids, ms: 5 }));
      });
      const pool = new Pool({ adapter: giving, module: fixture('tasks.mjs'), processes: 2 });
      try {
        const inputs = Array.from({ length: 400 }, (_, i) => i);
        const calls = inputs.map((i) => pool.apply('square', [i]));
        let settled = 0;
        for (const call of calls) void call.finally(() => void settled++);
        expect(await Promise.all(calls)).toEqual(inputs.map((i) => i * i));
        expect(returned).toBeGreaterThan(1);
        expect(settled).toBe(inputs.length);
        expect(pool.stats()).toMatchObject({ pending: 0, queued: 0, completed: inputs.length });
      } finally {
        await pool.terminate();
      }
    });
  });

  if (h.supports.isolation) describe('worker lifetime (isolated workers)', () => {
    it('maxTasksPerChild retires workers and replaces them (CPython test_pool_worker_lifetime)', () =>
      withPool(h, { processes: 2, maxTasksPerChild: 3 }, async (pool) => {
        const ids = await pool.map('getWorkerId', Array.from({ length: 30 }), { chunksize: 1 });
        // 30 tasks at 3 per worker: at least 10 distinct workers.
        expect(new Set(ids).size).toBeGreaterThanOrEqual(10);
        const counts = await pool.map('count', Array.from({ length: 12 }), { chunksize: 1 });
        expect(Math.max(...(counts as number[]))).toBeLessThanOrEqual(3);
        await until(() => pool.stats().workers === 2, 10_000, 'the pool to be back to 2 workers');
      }));

    if (h.channel) it('maxTasksPerChild: the replacement starts while the retired worker still runs its last tasks', () =>
      withPool(h, { processes: 1, maxTasksPerChild: 2 }, async (pool) => {
        const order: string[] = [];
        pool.addEventListener('workerstart', ({ detail }) => order.push(`start ${detail.worker}`));
        pool.addEventListener('workerexit', ({ detail }) => order.push(`exit ${detail.worker} ${detail.reason}`));
        const results = [0, 1].map((i) => pool.apply('sleepThen', [100, i]).then((value) => order.push(`result ${value}`)));
        await Promise.all(results);
        await until(() => order.includes('exit 1 tasks'), 10_000, 'worker 1 to leave');
        // Worker 2 was started once worker 1 had been sent its share: before its first answer was
        // handed out (retiring at the last answer would start it after 'result 0').
        expect(order.indexOf('start 2')).toBeGreaterThanOrEqual(0);
        expect(order.indexOf('start 2')).toBeLessThan(order.indexOf('result 0'));
        expect(order.indexOf('result 1')).toBeLessThan(order.indexOf('exit 1 tasks'));
        expect(await pool.map('square', [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
      }));

    if (h.channel) it('maxTasksPerChild: while work waits, the replacement is ready before the retiring worker leaves', () =>
      withPool(h, { processes: 1, maxTasksPerChild: 60 }, async (pool) => {
        // Worker 1 started just now, with the pool.
        const started = performance.now();
        const order: string[] = [];
        let ready1 = 0;
        pool.addEventListener('workerstart', ({ detail }) => order.push(`start ${detail.worker}`));
        pool.addEventListener('workerready', ({ detail }) => {
          order.push(`ready ${detail.worker}`);
          if (detail.worker === 1) ready1 = performance.now();
        });
        pool.addEventListener('workerexit', ({ detail }) => order.push(`exit ${detail.worker} ${detail.reason}`));
        // The replacement waits on standby: never two workers holding calls of a pool of one.
        let most = 0;
        const count = () => void (most = Math.max(most, pool.stats().busy));
        pool.addEventListener('callstart', count);
        pool.addEventListener('callsettle', count);
        expect(await pool.apply('square', [3])).toBe(9);
        // Units of a tenth of worker 1's start-up: the rest of its share (59 units) lasts about six
        // start-ups, and its replacement starts about four before the end: ready in time, with a
        // margin for a start-up slower than the first.
        expect(ready1).toBeGreaterThan(started);
        const ms = Math.max(2, Math.ceil((ready1 - started) / 10));
        const items = Array.from({ length: 100 }, (_, i) => [ms, i]);
        expect(await Promise.all(items.map((args) => pool.apply('sleepThen', args)))).toEqual(items.map(([, i]) => i));
        await until(() => order.includes('exit 1 tasks'), 10_000, `worker 1 to leave (${ms} ms units; ${order.join(', ')})`);
        expect(order.indexOf('ready 2')).toBeGreaterThanOrEqual(0);
        expect(order.indexOf('ready 2')).toBeLessThan(order.indexOf('exit 1 tasks'));
        expect(most).toBe(1);
        // Nothing waits: the pool is back to its size.
        await until(() => pool.stats().workers === 1, 10_000, 'the pool to be back to 1 worker');
      }));

    it('a worker that exits mid-task fails that task with WorkerExitError and is replaced', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        const queued = Array.from({ length: 10 }, (_, i) => pool.applyAsync('sleepThen', [5, i]));
        const error = (await rejection(pool.apply('exitWorker', [3]))) as WorkerExitError;
        expect(error).toBeInstanceOf(WorkerExitError);
        expect(error.name).toBe('WorkerExitError');
        expect(error.exitCode).toBe(h.supports.exitCodes ? 3 : null);
        expect(await Promise.all(queued)).toEqual(Array.from({ length: 10 }, (_, i) => i));
        await until(() => pool.stats().workers === 2, 10_000, 'a replacement worker');
        expect(await pool.map('square', [1, 2, 3, 4], { chunksize: 1 })).toEqual([1, 4, 9, 16]);
      }));

    it('in a burst of short tasks, a death fails only the task that died; all the others succeed', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        const range = (n: number) => Array.from({ length: n }, (_, i) => i);
        // Short tasks: workers now hold many units each, and answer them together.
        await Promise.all(range(Math.round(2_000 * (h.scale ?? 1))).map((i) => pool.apply('square', [i])));
        const results = await Promise.allSettled(
          range(400).map((i) => pool.apply('squareOrExit', [i, 200])),
        );
        const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
        expect(failed).toEqual([200]);
        expect((results[200] as PromiseRejectedResult).reason).toBeInstanceOf(WorkerExitError);
        for (const [i, r] of results.entries()) if (i !== 200) expect(r).toEqual({ status: 'fulfilled', value: i * i });
        await until(() => pool.stats().workers === 2, 10_000, 'a replacement worker');
      }));

    it('an uncaught error outside the task kills the worker: WorkerExitError, pool carries on', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        const error = (await rejection(pool.apply('crashLater'))) as WorkerExitError;
        expect(error).toBeInstanceOf(WorkerExitError);
        // Where the runtime passes on what killed the worker, it is that error's message (Bun's event has source text instead).
        if (error.cause instanceof Error) expect(error.cause.message).toMatch(/^(Uncaught (Error: )?)?uncaught in worker$/);
        expect(await pool.apply('square', [9])).toBe(81);
        await until(() => pool.stats().workers === 2, 10_000, 'a replacement worker');
      }));

    if (h.supports.functionTasks) it('a dead worker never hangs a map: the map rejects, other maps complete (Python\'s flaw fixed)', () =>
      withPool(h, { processes: 2 }, async (pool) => {
        const doomed = pool.map((x: number) => {
          if (x === 3) (globalThis as { process?: { exit(c: number): void }; Deno?: { exit(c: number): void }; close?: () => void }).process?.exit?.(1) ??
            (globalThis as { Deno?: { exit(c: number): void } }).Deno?.exit(1) ??
            (globalThis as { close?: () => void }).close?.(); // a browser worker
          return x;
        }, [1, 2, 3, 4, 5], { chunksize: 1 });
        const fine = pool.map('square', [1, 2, 3, 4, 5, 6], { chunksize: 1 });
        expect(await rejection(doomed)).toBeInstanceOf(WorkerExitError);
        expect(await fine).toEqual([1, 4, 9, 16, 25, 36]);
        expect(pool.stats().pending).toBe(0);
      }));

    it('workers that die while starting, again and again, break the pool instead of respawning forever', () =>
      withPool(h, { module: fixture('exits-on-load.mjs') }, async (pool) => {
        const error = (await rejection(pool.apply('square', [2]))) as Error;
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect(pool.state).toBe('BROKEN');
      }));

    if (h.supports.functionTasks) it('terminate() stops a worker stuck in a synchronous loop', () =>
      withPool(h, { processes: 1 }, async (pool) => {
        const stuck = pool.applyAsync(() => {
          for (;;);
        });
        await until(() => pool.stats().busy === 1, 10_000, 'the worker to be busy');
        await pool.terminate();
        expect((await rejection(stuck) as Error).name).toBe('TerminatedError');
        expect(pool.stats().workers).toBe(0);
      }));
  });
}
