/**
 * What a pool puts in Redis for a map: a long chunk of numbers rides its job as one typed array
 * (packed), a short one as an array; and what a host accepts as a unit's arguments.
 */
import { Pool, TaskKind, TerminatedError } from '@pool/core';
import { bullmq } from '@pool/bullmq';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Packr } from 'msgpackr';
import { describe, expect, inject, it } from 'vitest';
import { until } from '../../../test/conformance/harness.js';
import { encode } from '../src/codec.js';
import { connect } from '../src/connection.js';
import { encodeConfig, packFrom, unitPayload } from '../src/wire.js';

const url = inject('redisUrl');
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const packr = new Packr({ structuredClone: true });

type Payload = { args: number[] | Int32Array | Float64Array; valuesBeforeError?: true };

/**
 * The calls `submit` makes on a pool whose group no host serves, so that their units wait in
 * Redis: `check` gets the first `count` of them as a host would read them. The pool is then
 * terminated, and every call must reject with TerminatedError.
 */
async function unitsInRedis(name: string, count: number, submit: (pool: Pool) => Promise<unknown>[], check: (units: Payload[]) => void): Promise<void> {
  const group = `${name}-${process.pid}`;
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(group, { connection, prefix: 'pool' });
  const pool = new Pool({ adapter: bullmq({ connection: url, group, unavailableTimeout: 60_000 }), module: 'tasks.mjs', processes: 4 });
  const settled = Promise.allSettled(submit(pool));
  const read = async (): Promise<Payload[]> =>
    (await queue.getWaiting()).flatMap((job) => job.data.b as string[]).map((b) => packr.unpack(Buffer.from(b, 'base64')));
  try {
    await until(async () => (await read()).length === count, 10_000, `${count} units in Redis`);
    check(await read());
  } finally {
    await pool.terminate();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
  const outcomes = await settled;
  expect(outcomes.map((s) => s.status === 'rejected' && s.reason instanceof TerminatedError)).toEqual(outcomes.map(() => true));
}

describe('@pool/bullmq on the wire', () => {
  it(`a map's chunks of ${packFrom} numbers or more ride their jobs packed; shorter ones, and other items, as arrays`, () =>
    unitsInRedis('wire', 4, (pool) => [
      pool.map('square', range(packFrom, -3), { chunksize: packFrom }),
      pool.map('square', range(packFrom).map((i) => i / 4), { chunksize: packFrom }),
      pool.map('square', range(packFrom - 1), { chunksize: packFrom }),
      pool.map('square', [...range(packFrom - 1), '1'], { chunksize: packFrom }),
    ], (units) => {
      const args = units.map((unit) => unit.args);
      const byFirst = new Map(args.map((a) => [a[0], a]));
      expect(byFirst.get(-3)).toEqual(Int32Array.from(range(packFrom, -3)));
      const kinds = args.map((a) => (Array.isArray(a) ? 'array' : a.constructor.name)).sort();
      expect(kinds).toEqual(['Float64Array', 'Int32Array', 'array', 'array']);
    }));

  it("an imap's chunks ask for the values before an error (the host then runs them item by item); a map's do not", () =>
    unitsInRedis('wire-imap', 2, (pool) => [
      pool.map('square', range(10), { chunksize: 10 }),
      pool.imap('square', range(10, 100), { chunksize: 10 }).next(),
    ], (units) => {
      const byFirst = new Map(units.map((unit) => [unit.args[0], unit]));
      expect(byFirst.get(0)).not.toHaveProperty('valuesBeforeError');
      expect(byFirst.get(100)?.valuesBeforeError).toBe(true);
    }));

  it('a host reads packed numbers as a map chunk only: on a call, or as bytes of another kind, the unit is malformed', () => {
    const unit = (kind: number, args: unknown) => base64(encode({ kind, task: 'square', args }));
    expect(unitPayload(unit(TaskKind.Map, Int32Array.of(1, 2))).args).toEqual(Int32Array.of(1, 2));
    expect(unitPayload(unit(TaskKind.Map, Float64Array.of(0.5, -0))).args).toEqual(Float64Array.of(0.5, -0));
    expect(() => unitPayload(unit(TaskKind.Call, Int32Array.of(1, 2)))).toThrow(TypeError);
    expect(() => unitPayload(unit(TaskKind.Starmap, Float64Array.of(1)))).toThrow(TypeError);
    expect(() => unitPayload(unit(TaskKind.Map, Uint8Array.of(1, 2)))).toThrow(/Malformed unit/);
    expect(() => unitPayload(base64(encode({ kind: TaskKind.Map, task: 'square', args: [1], valuesBeforeError: 1 })))).toThrow(/Malformed unit/);
  });
});

describe('bullmq() options', () => {
  it('a lease no longer than the heartbeat that renews it, a fractional maxUnitBytes, or a timer past 2^31 - 1 ms is a RangeError', () => {
    const base = { connection: 'redis://127.0.0.1:1', group: 'g' };
    expect(() => bullmq({ ...base, heartbeat: 1000, lease: 1000 })).toThrow(/^Expected 'lease' \(1000 ms\) to be longer than 'heartbeat' \(1000 ms\)/);
    expect(() => bullmq({ ...base, maxUnitBytes: 1.5 })).toThrow(RangeError);
    expect(() => bullmq({ ...base, heartbeat: 2 ** 31, lease: 2 ** 32 })).toThrow(/^Expected 'heartbeat' to be at most 2147483647 ms/);
    expect(bullmq({ ...base, heartbeat: 200, lease: 1000 }).name).toBe('bullmq');
  });

  it("ioredis options keep the caller's retryStrategy; maxRetriesPerRequest is always null, as BullMQ needs", () => {
    const retryStrategy = (): number => 1234;
    const mine = connect({ host: '127.0.0.1', port: 1, lazyConnect: true, retryStrategy, maxRetriesPerRequest: 3 });
    const byUrl = connect('redis://127.0.0.1:1?lazyConnect=true');
    try {
      expect(mine.options.retryStrategy).toBe(retryStrategy);
      expect([mine.options.maxRetriesPerRequest, byUrl.options.maxRetriesPerRequest]).toEqual([null, null]);
      expect(byUrl.options.retryStrategy?.(100)).toBe(500);
    } finally {
      mine.disconnect();
      byUrl.disconnect();
    }
  });
});

describe('@pool/bullmq codec', () => {
  it("refuses an array with a named property (a match's index, any other) rather than drop it; a plain array's items cross", () => {
    const match = /(?<word>b+)/.exec('abbc')!;
    expect(() => encode([match], 'args')).toThrow("args[0]: an array's 'index' property would be lost");
    expect(() => encode({ found: 'abbc'.match(/b+/g) })).not.toThrow();
    expect(() => encode(Object.assign([1, 2], { groups: undefined }))).toThrow(/'groups' property would be lost/);
    expect(() => encode([...match])).not.toThrow();
    expect(() => encode({ rows: Object.assign([1, 2], { total: 2 }) }, 'args')).toThrow("args.rows: an array's 'total' property would be lost");
    expect(() => encode(Object.assign([], { total: 0 }))).toThrow(/'total' property would be lost/);
  });

  it('refuses a string with a lone surrogate, saying so: UTF-8 would carry it as U+FFFD; a whole pair crosses', () => {
    expect(() => encode({ name: 'a\uD800b' }, 'args')).toThrow('args.name: a string with a lone surrogate (half a UTF-16 pair) would arrive altered');
    expect(() => encode(['\uDC00'], 'args')).toThrow(/^args\[0\]: a string with a lone surrogate/);
    expect(() => encode({ name: 'a\uD83D\uDE00b' })).not.toThrow();
  });

  it('refuses a resizable ArrayBuffer, which would arrive fixed in size; a fixed one crosses', () => {
    const resizable = new (ArrayBuffer as new (length: number, options: { maxByteLength: number }) => ArrayBuffer)(4, { maxByteLength: 8 });
    expect(() => encode([resizable], 'args')).toThrow('args[0]: a resizable ArrayBuffer would arrive fixed in size');
    expect(() => encode([new ArrayBuffer(4)], 'args')).not.toThrow();
  });

  it('names what it refuses from the value\'s own fields: args[0].onDone, initargs[1], not the wire\'s wrapping', () => {
    expect(() => encode({ kind: 0, task: 'square', args: [{ onDone: () => 1 }] }, '')).toThrow(/^args\[0\]\.onDone: a function cannot be sent$/);
    const config = { module: 'tasks.mjs', sha256: null, initializer: 'setUp', initargs: [1, () => 2], maxTasksPerChild: null };
    expect(() => encodeConfig(config)).toThrow(/^initargs\[1\]: a function cannot be sent$/);
  });
});
