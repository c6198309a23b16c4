/**
 * What pools and hosts exchange through Redis, in one place: key names, the job a unit becomes,
 * the pool's lease, the replies. Both sides check what they read: malformed data is refused,
 * never run.
 * @module
 */
import { TaskKind, isPacked, type PackedNumbers, type SerializedError } from '@pool/core/executor';
import { decode, encode } from './codec.js';

/** Redis keys of one group. Every key of a group starts with `${prefix}:${group}:` (ACL patterns). */
export function keys(prefix: string, group: string) {
  const base = `${prefix}:${group}`;
  return {
    /** BullMQ's queue name (BullMQ adds its own `${prefix}:` before it). */
    queue: group,
    /** The pool's lease: its configuration, alive while the pool refreshes it. */
    lease: (pool: string) => `${base}:lease:${pool}`,
    /** The pool's reply list: hosts push, the pool pops. */
    replies: (pool: string) => `${base}:replies:${pool}`,
    /** Live hosts: a set of ids, each with a key that expires unless the host refreshes it. */
    hosts: `${base}:hosts`,
    host: (id: string) => `${base}:host:${id}`,
    /** Pub/sub channel of cancellations. */
    cancel: `${base}:cancel`,
  };
}

/** The BullMQ job id of a batch of a pool's units: the pool's id and its first unit's. */
export const jobId = (pool: string, firstUnit: number): string => `${pool}-${firstUnit}`;

/**
 * A batch of one pool's units as a job's data (JSON, as BullMQ stores it): the header in clear,
 * each payload packed on its own. Many units ride one job, so that tiny tasks do not each pay
 * BullMQ's per-job round trips; each unit is still answered, retried and cancelled on its own.
 */
export interface BatchData {
  /** The pool's protocol version. */
  readonly v: number;
  /** The pool's id. */
  readonly p: string;
  /** The units' ids. */
  readonly u: readonly number[];
  /** Re-runs each unit allows if its host or worker dies. */
  readonly r: readonly number[];
  /** Each unit's `encode({ kind, task, args })`, in base64. */
  readonly b: readonly string[];
  /**
   * 1 when the pool had other batches out or units waiting as it sent this one: the host then
   * takes a job ahead while this one runs. Absent (a lone call's batch): the host takes one job
   * per local worker, and a lone call does not pay for a fetch that finds nothing.
   */
  readonly m?: 1;
}

/** The most units one job may carry (a sender's cap, and a bound on what a host accepts). */
export const maxBatchUnits = 256;
/** A batch stops growing once its payloads take this many bytes (a larger unit goes alone). */
export const maxBatchBytes = 1024 * 1024;

/** What a pool tells its hosts once, in its lease. */
export interface PoolConfig {
  /** The task module's name (its file name), as the pool gave it. */
  readonly module: string;
  /** The sha256 the pool pins the module to, if any. */
  readonly sha256: string | null;
  readonly initializer: string | null;
  readonly initargs: readonly unknown[];
  readonly maxTasksPerChild: number | null;
}

export interface UnitPayload {
  readonly kind: TaskKind;
  readonly task: string;
  /** A call's arguments or a chunk's items; a map chunk's numbers may come packed ({@link packFrom}). */
  readonly args: readonly unknown[] | PackedNumbers;
  /**
   * A chunk of an `imap`, which yields a failed chunk's values before the error: the host runs it
   * item by item to have them. Absent (a `map`, which fails whole): it runs as one `map`.
   */
  readonly valuesBeforeError?: true;
}

/**
 * From how many numbers a map chunk's items travel packed (core's `Executor.packFrom`), and its
 * values come back packed. msgpack writes a typed array as one block of bytes and the round-trip
 * check compares bytes, where an array of numbers is written, read back and compared number by
 * number: a unit of 31,250 integers (W4's chunks on a pool of 8) took ~1.7 ms to encode and check
 * as an array, ~0.2 ms packed, and ~0.43 ms against ~0.02 to decode.
 */
export const packFrom = 512;

const kinds = new Set<unknown>(Object.values(TaskKind));
const poolId = /^[0-9a-f-]{36}$/;

/** A job's data as a {@link BatchData}, or `null` if it is not one. */
export function batchData(data: unknown): BatchData | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  const { u, r, b } = d;
  const ok = typeof d['v'] === 'number' && typeof d['p'] === 'string' && poolId.test(d['p']) &&
    Array.isArray(u) && u.length > 0 && u.length <= maxBatchUnits && Array.isArray(r) && r.length === u.length &&
    Array.isArray(b) && b.length === u.length && u.every((id) => Number.isSafeInteger(id)) &&
    r.every((n) => Number.isSafeInteger(n) && n >= 0) && b.every((bytes) => typeof bytes === 'string') &&
    (d['m'] === undefined || d['m'] === 1);
  return ok ? (d as unknown as BatchData) : null;
}

/** One unit's payload (base64, from {@link BatchData.b}); throws on anything malformed. */
export function unitPayload(base64: string): UnitPayload {
  const value = decode(Buffer.from(base64, 'base64')) as Partial<UnitPayload> | null;
  if (typeof value !== 'object' || value === null || !kinds.has(value.kind) || typeof value.task !== 'string' ||
    value.task.length === 0 || !(Array.isArray(value.args) || (value.kind === TaskKind.Map && isPacked(value.args))) ||
    !(value.valuesBeforeError === undefined || value.valuesBeforeError === true)) {
    throw new TypeError('Malformed unit: expected { kind, task: an export name, args: an array, or packed numbers for a map chunk }');
  }
  return value as UnitPayload;
}

export function encodeConfig(config: PoolConfig): Buffer {
  const bytes = encode(config, '');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A lease's value as a {@link PoolConfig}; throws on anything malformed. */
export function decodeConfig(bytes: Uint8Array): PoolConfig {
  const c = decode(bytes) as Partial<PoolConfig> | null;
  if (typeof c !== 'object' || c === null || typeof c.module !== 'string' || !Array.isArray(c.initargs) ||
    !(c.initializer === null || typeof c.initializer === 'string') || !(c.sha256 === null || typeof c.sha256 === 'string') ||
    !(c.maxTasksPerChild === null || Number.isSafeInteger(c.maxTasksPerChild))) {
    throw new TypeError('Malformed pool lease');
  }
  return c as PoolConfig;
}

/** How a unit ended, on the reply list. */
export const Status = {
  /** `value` is its result (a list of results for a chunk). */
  Ok: 0,
  /** `value` is a `SerializedError`; `done` the chunk's results before the failing item. */
  Error: 1,
  /** The host cannot serve this pool (module, initializer, protocol): `value` is the cause. */
  Broken: 2,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** One reply: `[unit, status, value, done?]`. */
export type Reply = readonly [unit: number, status: Status, value: unknown, done?: readonly unknown[]];

/** A reply as read from the list; `null` if malformed (it is dropped). */
export function reply(bytes: Uint8Array): Reply | null {
  try {
    const r = decode(bytes) as unknown[];
    if (!Array.isArray(r) || !Number.isSafeInteger(r[0]) || ![0, 1, 2].includes(r[1] as number)) return null;
    if (r[1] !== Status.Ok && !isSerializedError(r[2])) return null;
    return r as unknown as Reply;
  } catch {
    return null;
  }
}

function isSerializedError(value: unknown): value is SerializedError {
  const v = value as { kind?: unknown; props?: unknown } | null;
  return typeof v === 'object' && v !== null && (v.kind === 'value' || (v.kind === 'error' && typeof v.props === 'object' && v.props !== null));
}

/** The file name a `module` option names: its last path segment, without query or hash. */
export function moduleName(module: string): string {
  const path = module.replace(/[?#].*$/, '').replace(/\\/g, '/');
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
