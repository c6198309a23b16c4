/**
 * What a map's chunks cost on a V8 channel. V8 (Node's worker_threads and its IPC's `advanced`
 * serialization, Deno) clones an array made at its length ("holey") as a sparse one, index by
 * index: twice the bytes and 2.5–4× the time. The worker loop fills a chunk's values into arrays
 * made at their length, and a map's input is often such an array (`map()`'s own result is one), so
 * what crosses must be dense copies, both ways: V8's own serializer, as those channels use it.
 */
import { serialize } from 'node:v8';
import { Pool, protocolVersion, runWorker, TaskKind, type Adapter, type FromWorker, type ToWorker } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { describe, expect, it } from 'vitest';
import { fixture, until } from '../conformance/harness.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Runs the worker loop with `packFrom` as Node's IPC has it; returns each answer as V8 serialized it. */
async function answersTo(tasks: Array<Extract<ToWorker, { type: 'task' }>>): Promise<Array<{ message: FromWorker; bytes: number }>> {
  const got: Array<{ message: FromWorker; bytes: number }> = [];
  let toWorker: ((message: ToWorker) => void) | undefined;
  runWorker({
    send: (message) => void got.push({ message, bytes: serialize(message).length }),
    listen: (listener) => {
      toWorker = listener;
    },
    exit: () => {},
  });
  toWorker!({ type: 'init', protocol: protocolVersion, module: fixture('tasks.mjs').href, initializer: null, initargs: [], progress: null, batchAnswers: true, packFrom: 4_097 });
  await until(() => got.some(({ message }) => message.type === 'ready'), 10_000, 'the worker loop to be ready');
  for (const task of tasks) toWorker!(task);
  await until(() => got.filter(({ message }) => message.type === 'ok' || message.type === 'values').length === tasks.length, 10_000, 'every answer');
  return got.filter(({ message }) => message.type !== 'ready');
}

describe('map answers on a V8 channel', () => {
  it('a chunk of 1,000 numbers or strings, and a long chunk in segments, cross as dense arrays', async () => {
    const numbers = range(1_000);
    const strings = numbers.map(String);
    const long = range(9_000).map(String);
    const segments = [long.slice(0, 4_096), long.slice(4_096, 8_192), long.slice(8_192)];
    const answers = await answersTo([
      { type: 'task', id: 0, kind: TaskKind.Map, task: 'square', args: numbers },
      { type: 'task', id: 1, kind: TaskKind.Map, task: 'identity', args: strings },
      { type: 'task', id: 2, kind: TaskKind.Map, task: 'identity', args: segments, segmented: true },
    ]);
    // The answers a dense array of the same values would make, byte for byte.
    const squares = numbers.map((i) => i * i);
    expect(answers.map(({ message }) => message)).toEqual([
      { type: 'ok', id: 0, value: squares },
      { type: 'ok', id: 1, value: strings },
      { type: 'ok', id: 2, value: segments, segmented: true },
    ]);
    expect(answers.map(({ bytes }) => bytes)).toEqual([
      serialize({ type: 'ok', id: 0, value: squares }).length,
      serialize({ type: 'ok', id: 1, value: strings }).length,
      serialize({ type: 'ok', id: 2, value: segments, segmented: true }).length,
    ]);
  });
});

/** `adapter`, with every task message it carries to a worker measured as V8 serializes it. */
function measured(adapter: Adapter, bytes: number[]): Adapter {
  return {
    ...adapter,
    spawn(events) {
      const handle = adapter.spawn(events);
      const send = (message: ToWorker, transfer?: readonly unknown[]): void => {
        if (message.type !== 'init') bytes.push(serialize(message).length);
        handle.send(message, transfer);
      };
      return { ...handle, send };
    },
  };
}

describe('map items on a V8 channel', () => {
  it('a holey input (an array made at its length) crosses in the bytes of a dense one, and a map result is packed', async () => {
    const strings = Array.from({ length: 3_000 }, (_, i) => `item ${i}`);
    const holey = new Array<string>(strings.length);
    for (let i = 0; i < strings.length; i++) holey[i] = strings[i]!;
    const sent: Record<'dense' | 'holey' | 'chained', number[]> = { dense: [], holey: [], chained: [] };
    const run = async (input: readonly string[], bytes: number[]) => {
      const pool = new Pool({ adapter: measured(nodeProcesses(), bytes), module: fixture('tasks.mjs'), processes: 1 });
      try {
        return await pool.map('identity', input, { chunksize: 1_000 });
      } finally {
        await pool.terminate();
      }
    };
    expect(await run(strings, sent.dense)).toEqual(strings);
    expect(await run(holey, sent.holey)).toEqual(strings);
    const result = await run(strings, []);
    expect(serialize(result).length).toBe(serialize(strings).length); // itself packed
    expect(await run(result, sent.chained)).toEqual(strings);
    expect(sent.dense.length).toBeGreaterThanOrEqual(1);
    expect(sent.holey).toEqual(sent.dense);
    expect(sent.chained).toEqual(sent.dense);
  });
});
