/**
 * The channel, seen through the adapter's handle and through a pool: what the v8 serializer
 * refuses, a dead child, and payloads of tens of megabytes.
 */
import { Pool, protocolVersion, type FromWorker, type WorkerExit } from '@pool/core';
import { nodeProcesses, type NodeProcessHandle } from '@pool/node-process';
import { describe, expect, it } from 'vitest';
import { until } from '../../../test/conformance/harness.js';
import { gone } from './process-table.js';

const tasks = new URL('./fixtures/tasks.mjs', import.meta.url);

/** Spawns one bare worker through the adapter, initialised with the fixture tasks. */
function spawnOne() {
  const messages: FromWorker[] = [];
  const exits: WorkerExit[] = [];
  const handle = nodeProcesses().spawn({ message: (m) => messages.push(m), exit: (e) => exits.push(e) });
  handle.send({ type: 'init', protocol: protocolVersion, module: tasks.href, initializer: null, initargs: [], progress: null, batchAnswers: false, packFrom: 0 });
  return { handle: handle as NodeProcessHandle, messages, exits };
}

describe('nodeProcesses: the channel', () => {
  it('send() throws synchronously for what v8 cannot serialize, and drops messages to a dead child', async () => {
    const { handle, messages, exits } = spawnOne();
    await until(() => messages.some((m) => m.type === 'ready'), 10_000, 'the worker to be ready');
    expect(() => handle.send({ type: 'task', id: 1, kind: 0, task: 'identity', args: [() => 1] })).toThrow(/could not be cloned/);
    expect(() => handle.send({ type: 'task', id: 2, kind: 0, task: 'identity', args: [Symbol('s')] })).toThrow(/could not be cloned/);
    handle.send({ type: 'task', id: 3, kind: 0, task: 'pid', args: [] });
    await until(() => messages.some((m) => m.type === 'ok'), 10_000, 'the answer');
    const pid = (messages.find((m) => m.type === 'ok') as { value: number }).value;
    expect(handle.pid).toBe(pid);

    await handle.terminate();
    expect(gone(pid)).toBe(true);
    expect(exits).toEqual([{ exitCode: null, signal: 'SIGTERM' }]);
    expect(() => handle.send({ type: 'task', id: 4, kind: 0, task: 'pid', args: [] })).not.toThrow();
    expect(() => handle.send({ type: 'close' })).not.toThrow();
    await handle.terminate(); // a second terminate() resolves too
    expect(exits).toHaveLength(1);
  });

  it('a close message makes the child leave on its own, with exit code 0', async () => {
    const { handle, messages, exits } = spawnOne();
    await until(() => messages.some((m) => m.type === 'ready'), 10_000, 'the worker to be ready');
    handle.send({ type: 'close' });
    await until(() => exits.length === 1, 10_000, 'the exit');
    expect(exits).toEqual([{ exitCode: 0, signal: null }]);
  });

  it('values cross as with worker threads: Map, Set, Date, BigInt, typed arrays, nested errors', async () => {
    await using pool = new Pool({ adapter: nodeProcesses(), module: tasks, processes: 1 });
    const value = {
      map: new Map<unknown, unknown>([[1, new Set(['a'])], ['k', new Date(5)]]),
      big: 2n ** 70n,
      floats: new Float64Array([0.5, -0, NaN]),
      error: new RangeError('inside', { cause: new Error('deeper') }),
    };
    const back = (await pool.apply('identity', [value])) as typeof value;
    expect(back.map).toEqual(value.map);
    expect(back.big).toBe(2n ** 70n);
    expect(Object.is(back.floats[1], -0) && Number.isNaN(back.floats[2])).toBe(true);
    expect(back.error).toBeInstanceOf(RangeError);
    expect(back.error.message).toBe('inside');
  });

  it('a task that calls process.send() itself does not disturb the pool', async () => {
    await using pool = new Pool({ adapter: nodeProcesses(), module: tasks, processes: 1 });
    expect(await pool.apply('sendStray', ['a string'])).toBe('answered');
    expect(await pool.apply('sendStray', [null])).toBe('answered');
    // Text the channel reads as JSON (the pool's own messages may cross as JSON text), and objects.
    for (const stray of ['{"note":1}', '[1,2]', '42', '{"type":"nonsense"}', { note: 1 }, { type: 'ok', id: 1e9, value: 1 }]) {
      expect(await pool.apply('sendStray', [stray])).toBe('answered');
    }
    expect(await pool.apply('identity', [5])).toBe(5);
    expect(pool.stats()).toMatchObject({ completed: 9, failed: 0, workers: 1 });
  });

  it('tens of megabytes round-trip in one argument and in one result', async () => {
    await using pool = new Pool({ adapter: nodeProcesses(), module: tasks, processes: 1 });
    const big = new Uint8Array(48 * 2 ** 20);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 251;
    const echoed = (await pool.apply('identity', [big])) as Uint8Array;
    expect(echoed).toBeInstanceOf(Uint8Array);
    expect(echoed.length).toBe(big.length);
    expect(Buffer.compare(Buffer.from(echoed.buffer, echoed.byteOffset, echoed.length), Buffer.from(big.buffer))).toBe(0);

    const made = (await pool.apply('bytes', [32 * 2 ** 20, 7])) as Uint8Array;
    expect(made.length).toBe(32 * 2 ** 20);
    expect(made[0] === 7 && made[made.length - 1] === 7 && made.indexOf(0) === -1).toBe(true);

    const text = (await pool.apply('text', [20 * 2 ** 20])) as string;
    expect(text.length).toBe(20 * 2 ** 20);
    expect(/^x+$/.test(text)).toBe(true);
  });
});
