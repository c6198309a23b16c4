/**
 * The channel's choice per message (`wire.ts`): JSON text where JSON carries the message exactly,
 * the message itself (V8's serializer) for anything JSON would alter, refuse or copy slower.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { decode, encode, isPlain } from '../src/wire.js';

const task = (args: unknown[]) => ({ type: 'task', id: 7, kind: 0, task: 'identity', args });

describe('nodeProcesses: what crosses as JSON', () => {
  it('the pool’s plain messages go as JSON text, and come back equal', () => {
    const messages = [
      task([1, 'two', null, true, { nested: [0, -1.5, 2 ** 53, 5e-324] }]),
      { type: 'batch', id: 1, kind: 0, task: 'inc', args: Array.from({ length: 64 }, (_, i) => i), single: true },
      { type: 'values', id: 3, values: [[1, 2], { a: 'b' }] },
      { type: 'ok', id: 4, value: Object.assign(Object.create(null) as object, { a: 1 }) },
      { type: 'close' },
    ];
    for (const message of messages) {
      const sent = encode(message);
      expect(typeof sent).toBe('string');
      expect(decode(sent)).toEqual(JSON.parse(JSON.stringify(message)));
      expect(decode(sent)).toEqual({ ...message });
    }
  });

  it('a protocol message’s own undefined fields count as absent (a task that returns nothing)', () => {
    const sent = encode({ type: 'ok', id: 1, value: undefined });
    expect(typeof sent).toBe('string');
    expect((decode(sent) as { value?: unknown }).value).toBeUndefined();
  });

  it('every value JSON would alter, refuse or split keeps the message as it is', () => {
    const shared = { n: 1 };
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const match = /(?<word>b+)/.exec('abbc');
    const named = Object.assign([1, 2], { extra: true });
    class Point {
      x = 1;
    }
    const altered: Record<string, unknown> = {
      'undefined in an array': [undefined],
      'undefined in an object': { u: undefined },
      // biome-ignore lint/suspicious/noSparseArray: a hole is what JSON would fill in.
      'a hole': [1, , 3],
      '-0': -0,
      NaN: Number.NaN,
      Infinity: Number.POSITIVE_INFINITY,
      '-Infinity': Number.NEGATIVE_INFINITY,
      'a shared reference': [shared, shared],
      'a cycle': cyclic,
      'a match array (index, input, groups)': match,
      'an array with a named property': named,
      'an array subclass': new (class List extends Array {})(),
      'a class instance': new Point(),
      'a Map': new Map([[1, 2]]),
      'a Set': new Set([1]),
      'a Date': new Date(0),
      'a BigInt': 1n,
      'a typed array': new Float64Array([1]),
      'an ArrayBuffer': new ArrayBuffer(8),
      'an error': new Error('x'),
      'a boxed number': Object(1),
      'a function': () => 1,
      'a symbol': Symbol('s'),
      'a long string': 'x'.repeat(10_000),
      'long strings in all': Array.from({ length: 3 }, () => 'y'.repeat(3_000)),
    };
    for (const [name, value] of Object.entries(altered)) {
      const message = task([value]);
      expect(isPlain(message), name).toBe(false);
      expect(encode(message), name).toBe(message);
    }
  });

  it('large values go as they are, where V8’s serializer is the cheaper way; middling ones as JSON', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(isPlain(task([items(100_000)]))).toBe(false);
    expect(isPlain(task([Object.fromEntries(items(100_000).map((i) => [`k${i}`, i]))]))).toBe(false);
    expect(isPlain(task([items(1_000)]))).toBe(true);
    expect(isPlain(task([items(1_000).map((i) => i + 0.5)]))).toBe(false);
    expect(isPlain(task([[0.5, 1.25, 2 ** 40, -(2 ** 31)]]))).toBe(true);
    expect(isPlain(task([Array.from({ length: 500 }, (_, i) => ({ a: i, b: [i] }))]))).toBe(true);
  });

  it('a getter that throws or nesting past the stack leaves the choice to V8’s serializer', () => {
    const throwing = {
      get boom(): never {
        throw new Error('getter ran');
      },
    };
    expect(isPlain(task([throwing]))).toBe(false);
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(isPlain(task([deep]))).toBe(false);
  });

  it('decode() passes objects through, and throws for a string that is not JSON', () => {
    const message = { type: 'ready' };
    expect(decode(message)).toBe(message);
    expect(() => decode('not json')).toThrow(SyntaxError);
  });
});

describe('nodeProcesses: a packed chunk lands where the receiver can view it', () => {
  const ints = (n: number) => Int32Array.from({ length: n }, (_, i) => i * 3 - 7);
  const doubles = (n: number) => Float64Array.from({ length: n }, (_, i) => i / 3);
  // Compared as bytes: an element-wise deep equality of 2 MB arrays takes seconds.
  const bytesOf = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);

  it('a packed chunk’s items, or its values in one part, go behind padding; decode() gives back the message', () => {
    const items = ints(5_000);
    const chunk = { type: 'task', id: 9, kind: 1, task: 'inc', args: items };
    const sent = encode(chunk) as unknown[];
    expect(Array.isArray(sent)).toBe(true);
    expect(sent[1]).toBe(items);
    expect(decode(sent)).toBe(chunk);
    const answer = { type: 'ok', id: 9, value: [doubles(5_000)], segmented: true };
    expect(decode(encode(answer))).toBe(answer);
  });

  it('small packed chunks, and a task’s own typed arrays, go as they are', () => {
    const small = { type: 'task', id: 1, kind: 1, task: 'inc', args: ints(100) };
    expect(encode(small)).toBe(small);
    const bytes = { type: 'task', id: 1, kind: 1, task: 'inc', args: new Uint8Array(100_000) };
    expect(encode(bytes)).toBe(bytes);
    // A call's value is the task's own: a view of a larger buffer would surprise its caller.
    for (const value of [doubles(5_000), [doubles(5_000)]]) {
      const own = { type: 'ok', id: 1, value };
      expect(encode(own)).toBe(own);
    }
  });

  it('over a real channel, both ways, a packed chunk arrives equal, and from 64 KiB as a view, not a copy', async () => {
    const child = fork(new URL('./fixtures/echo.mjs', import.meta.url), { serialization: 'advanced' });
    try {
      // Byte lengths on both sides of each varint width V8 writes a length in. A message of 64 KiB
      // or more is read in pieces and joined, so its bytes start the buffer that is read; a
      // smaller one may share a read with the message before it, at any offset.
      for (const make of [ints, doubles]) {
        for (const bytes of [4_096, 16_376, 16_384, 1_000_000, 2_097_144, 2_097_152]) {
          const args = make(bytes / make(1).BYTES_PER_ELEMENT);
          const what = `${args.constructor.name} of ${bytes} bytes`;
          const chunk = { type: 'task', id: 1, kind: 1, task: 'inc', args };
          const reports = [once(child, 'message'), once(child, 'message').then(() => once(child, 'message'))];
          child.send(encode(chunk));
          const [[report], [echoed]] = (await Promise.all(reports)) as [[{ received: { isView: boolean; same: boolean } }], [unknown]];
          const back = decode(echoed) as typeof chunk;
          expect(back.args.constructor, `${what}, back`).toBe(args.constructor);
          expect(bytesOf(back.args).equals(bytesOf(args)), `${what}, back equal`).toBe(true);
          expect(report.received.same, `${what}: the message holds the view`).toBe(true);
          if (bytes >= 65_536) {
            expect(report.received.isView, `${what}, in the child`).toBe(true);
            expect(back.args.buffer.byteLength, `${what}, back in the parent`).toBeGreaterThan(back.args.byteLength);
          }
        }
      }
    } finally {
      child.kill();
    }
  });
});
