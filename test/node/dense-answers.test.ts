/**
 * What a worker's map answers cost on a V8 channel. V8 (Node's worker_threads and its IPC's
 * `advanced` serialization, Deno) clones an array made at its length ("holey") as a sparse one,
 * index by index: twice the bytes and 2.5–4× the time. The worker loop fills a chunk's values into
 * arrays made at their length, so the values it sends must be dense copies. The real worker loop,
 * serialized by V8's own serializer as those channels do.
 */
import { serialize } from 'node:v8';
import { protocolVersion, runWorker, TaskKind, type FromWorker, type ToWorker } from '@pool/core';
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
