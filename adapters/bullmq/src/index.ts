/**
 * @pool/bullmq — the same `Pool` across many machines: units of work become BullMQ jobs on
 * Redis, and `pool-worker` hosts (this package's command) pull them and run them in a local pool.
 *
 * ```ts
 * const pool = new Pool({ adapter: bullmq({ connection: 'redis://127.0.0.1:6379', group: 'thumbnails' }), module: './tasks.js' });
 * ```
 * @module
 */
import type { RedisOptions } from 'ioredis';
import { maxTimerMs, type QueueAdapter } from '@pool/core/executor';
import { BullExecutor } from './client.js';
import { connect } from './connection.js';

export { HostUnavailableError } from './errors.js';

/** Options of {@link bullmq}. Durations are in milliseconds. */
export interface BullmqOptions {
  /**
   * Redis: a URL (`redis://user:password@host:6379/0`, `rediss://…` for TLS) or ioredis options
   * (`{ host, port, username, password, tls }`).
   */
  connection: string | RedisOptions;
  /** The group of hosts to run on: `pool-worker --group NAME`. Letters, digits, `_`, `-`, `.`. */
  group: string;
  /** Key prefix of every key the pool uses. Default `'pool'` (hosts: `--prefix`). */
  prefix?: string;
  /** Pin the hosts' module: a host whose module has another sha256 fails the pool (`BrokenPoolError`). */
  moduleSha256?: string;
  /** Default `processes`: units in flight for this pool. Default `8`. */
  defaultProcesses?: number;
  /** How often the pool renews its lease and counts live hosts. Default `1000`. */
  heartbeat?: number;
  /** The lease's time to live: a pool silent this long is taken for dead, and hosts drop its work. Default `15000`. */
  lease?: number;
  /** No live host, or no Redis, for this long: pending calls reject `HostUnavailableError`. Default `30000`. */
  unavailableTimeout?: number;
  /** The largest encoded unit (a call's arguments, a chunk); a larger one is a `DataCloneError`. Default 16 MiB. */
  maxUnitBytes?: number;
  /** Where the pool says what happens to it (lost leases, unreachable hosts). Default: nowhere. */
  log?: (line: string) => void;
}

const groupName = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * A queue adapter on BullMQ and Redis. `processes` is the number of units in flight for this
 * pool; the parallelism is the hosts'. Tasks are named exports of the hosts' module; function
 * tasks and initializers are refused (`TypeError`), and nothing in the queue is run as code.
 */
export function bullmq(options: BullmqOptions): QueueAdapter {
  if (typeof options !== 'object' || options === null) throw new TypeError('Expected bullmq() options: { connection, group }');
  const { connection, group } = options;
  if (typeof connection !== 'string' && (typeof connection !== 'object' || connection === null)) {
    throw new TypeError("Expected 'connection' to be a Redis URL or ioredis options");
  }
  if (typeof group !== 'string' || !groupName.test(group)) {
    throw new TypeError(`Expected 'group' to be 1-100 letters, digits, '_', '-' or '.', got ${JSON.stringify(group)}`);
  }
  const prefix = options.prefix ?? 'pool';
  if (typeof prefix !== 'string' || !groupName.test(prefix)) throw new TypeError(`Expected 'prefix' to be a short name, got ${JSON.stringify(prefix)}`);
  const ms = (name: keyof BullmqOptions, fallback: number): number => {
    const value = options[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`Expected '${name}' to be a positive number of ms, got ${String(value)}`);
    // A runtime fires a longer timer at once (a heartbeat every millisecond).
    if (value > maxTimerMs) throw new RangeError(`Expected '${name}' to be at most ${maxTimerMs} ms (about 24.8 days), got ${value}`);
    return value;
  };
  const count = (name: keyof BullmqOptions, fallback: number): number => {
    const value = options[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new RangeError(`Expected '${name}' to be an integer ≥ 1, got ${String(value)}`);
    return value;
  };
  const defaultProcesses = count('defaultProcesses', 8);
  const sha = options.moduleSha256 ?? null;
  if (sha !== null && !/^[0-9a-f]{64}$/i.test(sha)) throw new TypeError("Expected 'moduleSha256' to be 64 hex digits");
  if (options.log !== undefined && typeof options.log !== 'function') throw new TypeError("Expected 'log' to be a function");
  const heartbeat = ms('heartbeat', 1000);
  const lease = ms('lease', 15_000);
  // The lease is renewed each heartbeat: one no longer than that runs out between renewals.
  if (lease <= heartbeat) throw new RangeError(`Expected 'lease' (${lease} ms) to be longer than 'heartbeat' (${heartbeat} ms), which renews it`);
  const maxUnitBytes = count('maxUnitBytes', 16 * 1024 * 1024);
  const settings = {
    connect: () => connect(connection),
    group, prefix, moduleSha256: sha?.toLowerCase() ?? null,
    heartbeat, lease, unavailableTimeout: ms('unavailableTimeout', 30_000),
    maxUnitBytes, log: options.log ?? null,
  };
  return {
    name: 'bullmq',
    supports: {
      isolation: true, cloning: true, sharedMemory: false, transfer: false,
      functionTasks: false, loadsModule: false, filePaths: false, typescript: false, killable: true, exitCodes: true,
    },
    defaultProcesses: () => defaultProcesses,
    open: (init, host) => new BullExecutor(settings, init, host),
  };
}
