/**
 * The host: pulls its group's units from BullMQ and runs them in a local @pool `Pool` (threads,
 * processes or inline) over its own module, so initializer, `maxTasksPerChild`, one task at a time per
 * worker and crash handling are core's tested code. Nothing in the queue is run as code: a unit
 * names an export of the host's module, and everything else about it is checked first.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Job as BullJob, Worker } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { BrokenPoolError, MaybeEncodingError, Pool, TaskNotFoundError, WorkerExitError, inline, type AbortSignalLike, type Adapter } from '@pool/core';
import { TaskKind, describe, isPacked, packNumbers, serializeError } from '@pool/core/executor';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { CodecError, encode } from './codec.js';
import { connect, isConnectionError, isLoginRefused, isRefusal, patiently, settlesWithin } from './connection.js';
import { Status, batchData, decodeConfig, keys, reply as decodeReply, unitPayload, type PoolConfig, type Reply, type UnitPayload } from './wire.js';

/**
 * What can run a host's units (`--executor`): worker threads, child processes, or `inline()`,
 * the host's own event loop (BullMQ's in-process processor: a lone call skips the hop to a worker
 * and back; no isolation, so a task that blocks delays the host's lock renewals and one that
 * exits takes the host with it).
 */
export const executors = { threads: nodeWorkers, processes: nodeProcesses, inline } as const satisfies Record<string, () => Adapter>;

/** Options of {@link Host.start}; the command line's, parsed. Durations in ms. */
export interface HostOptions {
  readonly connection: string | RedisOptions;
  readonly group: string;
  readonly prefix: string;
  /** Path of the task module this host serves. */
  readonly module: string;
  /** Refuse to start unless the module's sha256 is this. */
  readonly moduleSha256: string | null;
  /** Local workers. */
  readonly concurrency: number;
  /** What runs the units: one of {@link executors}. */
  readonly executor: keyof typeof executors;
  /** Default `maxTasksPerChild` of the local workers (a pool's own setting wins). */
  readonly maxTasksPerChild: number | null;
  /** `startTimeout` of the local pools (ms), or `null`: a worker stuck loading the module or in an initializer fails instead of waiting. */
  readonly startTimeout: number | null;
  /** BullMQ's job lock: a host silent this long is taken for dead and its units are sent again. */
  readonly lockDuration: number;
  /** How often BullMQ looks for units of dead hosts. */
  readonly stalledInterval: number;
  readonly heartbeat: number;
  /** How long SIGTERM waits for running units before handing them back. */
  readonly grace: number;
  /** At start, how long Redis may stay out of reach before the host gives up (later outages are waited out). */
  readonly connectTimeout: number;
  /** The protocol this host speaks: core's, unless a test says otherwise. */
  readonly protocol: number;
  readonly verbose: boolean;
  readonly log: (line: string) => void;
}

/** The host could not start: a bad module, a wrong sha256, a Redis it cannot reach or log in to. The command exits non-zero. */
export class HostStartError extends Error {}

/** A pool this host has seen: its lease, whether it may run here, its running units. */
interface Client {
  readonly config: PoolConfig;
  /** Why this host cannot serve the pool, or `null`. */
  readonly refusal: Error | null;
  readonly local: string;
  checkedAt: number;
  running: number;
  /** What broke the local pool under this pool's units (its initializer failed here), serialized; later units get it at once. */
  broken: unknown;
}

interface LocalPool {
  readonly key: string;
  readonly pool: Pool;
  running: number;
  usedAt: number;
}

type Outcome = readonly [Status, unknown, (readonly unknown[])?];

/** Local pools kept per host (one per distinct initializer / initargs / maxTasksPerChild). */
const maxLocalPools = 4;
/** Cancelled units remembered per pool until reached, and pools remembered so. */
const maxCancelled = 10_000;
const maxCancelledPools = 1_000;
/** How long a reply list outlives its last reply when nobody reads it (a dead pool). */
const replyTtl = 300_000;
/** Jobs shorter than this (ms, smoothed) are worth taking one ahead; see `Host.#jobMs`. */
const takeAheadBelowMs = 20;
/** Past the grace, how long handing the units back may take before the host leaves anyway (their locks then run out). */
const handBackTimeout = 5_000;

export class Host {
  readonly id = `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  readonly #o: HostOptions;
  readonly #keys: ReturnType<typeof keys>;
  readonly #moduleUrl: string;
  readonly #moduleName: string;
  readonly #sha256: string;
  readonly #command: Redis;
  readonly #subscriber: Redis;
  #worker: Worker | undefined;
  /** BullMQ, imported while the module is probed (its import is most of a host's start-up). */
  #bullmq: typeof import('bullmq') | undefined;
  readonly #clients = new Map<string, Client>();
  /** Leases being read, by pool: see `#client`. */
  readonly #readingLeases = new Map<string, Promise<Client | null>>();
  readonly #locals = new Map<string, LocalPool>();
  /**
   * Units cancelled before they started here, by pool: a cancel can come while this host is
   * taking their job, or reading the pool's lease, or running others of their batch. Skipped
   * when reached.
   */
  readonly #cancelled = new Map<string, Set<number>>();
  /** Running units by pool and unit id, to cancel them. */
  readonly #running = new Map<string, { pool: string; unit: number; controller: UnitCancel }>();
  readonly #batches = new Map<string, { items: Buffer[]; done: Promise<void> }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  /**
   * Jobs taken at once while pools send more than one batch at a time and jobs are short: twice
   * the local workers, so the next batch is here when one ends. Pools read it from the host's key to spread a burst
   * over all hosts' jobs. A lone call's batch sets BullMQ back to one job per local worker (see
   * {@link Host.#process}).
   */
  readonly #jobs: number;
  /**
   * How long this host's jobs took of late (ms, smoothed), once one has run. A job taken ahead
   * saves the next one a Redis round trip (~1 ms): worth it for short units only. For longer ones
   * it holds work another host could run now (four 300 ms units, two hosts of two workers: one
   * host took three, and the map took twice as long).
   */
  #jobMs: number | undefined;
  #stopping: Promise<void> | undefined;
  /** Stopping past the grace: units that have not answered go back to the queue, unanswered. */
  #handingBack = false;
  /** Redis unreachable since, and last said so at (ms). */
  #outage: { since: number; said: number } | null = null;

  private constructor(options: HostOptions, moduleUrl: string, sha256: string) {
    this.#o = options;
    this.#keys = keys(options.prefix, options.group);
    this.#moduleUrl = moduleUrl;
    this.#moduleName = basename(options.module);
    this.#sha256 = sha256;
    this.#jobs = 2 * options.concurrency;
    this.#command = connect(options.connection);
    this.#subscriber = connect(options.connection);
    for (const redis of [this.#command, this.#subscriber]) {
      redis.on('error', (error: Error) => this.#redisDown(error));
      redis.on('ready', () => this.#redisBack());
    }
  }

  /**
   * Redis failed on one of the host's connections (its own, or its BullMQ worker's two). Every
   * connection reports every reconnect attempt, several a second: an outage is logged once as it
   * starts, then once a minute while it lasts, and once as it ends.
   */
  #redisDown(error: Error): void {
    const now = Date.now();
    if (!this.#outage) {
      this.#outage = { since: now, said: now };
      this.#log(`redis error: ${error.message}`);
    } else if (now - this.#outage.said >= 60_000) {
      this.#outage.said = now;
      this.#log(`redis still unreachable after ${Math.round((now - this.#outage.since) / 1000)} s: ${error.message}`);
    }
  }

  #redisBack(): void {
    if (!this.#outage) return;
    this.#log(`redis connection back after ${((Date.now() - this.#outage.since) / 1000).toFixed(1)} s`);
    this.#outage = null;
  }

  /** Checks and loads the module, then starts pulling units. Throws {@link HostStartError} for a bad module. */
  static async start(options: HostOptions): Promise<Host> {
    const path = resolve(options.module);
    let source: Buffer;
    try {
      source = await readFile(path);
    } catch (error) {
      throw new HostStartError(`cannot read the module ${path}: ${(error as Error).message}`);
    }
    const sha256 = createHash('sha256').update(source).digest('hex');
    if (options.moduleSha256 !== null && options.moduleSha256.toLowerCase() !== sha256) {
      throw new HostStartError(`the module ${path} has sha256 ${sha256}, not the pinned ${options.moduleSha256}`);
    }
    const host = new Host(options, pathToFileURL(path).href, sha256);
    host.#log(`starting: group '${options.group}', module ${path} (sha256 ${sha256.slice(0, 12)}…), ${options.concurrency} ${options.executor}`);
    const bullmq = import('bullmq');
    // Awaited below unless the module or Redis fails first: a failed import is then no unhandled rejection.
    bullmq.catch(() => {});
    // The module and Redis side by side: whichever fails first stops the host.
    try {
      await Promise.all([host.#probe(path), host.#reachRedis()]);
    } catch (error) {
      await host.#close();
      throw error;
    }
    host.#bullmq = await bullmq;
    await host.#listen();
    return host;
  }

  /** Loads the module once in a local worker: an unknown name proves it loaded. */
  async #probe(path: string): Promise<void> {
    const probe = this.#local({ module: this.#moduleName, sha256: null, initializer: null, initargs: [], maxTasksPerChild: null });
    try {
      await probe.pool.apply('\u0000probe');
    } catch (error) {
      if (error instanceof TaskNotFoundError) return;
      const cause = error instanceof BrokenPoolError ? error.cause : error;
      throw new HostStartError(`the module ${path} failed to load: ${describe(cause instanceof Error ? cause.message : cause)}`);
    }
  }

  /**
   * Resolves once both connections are ready. A login Redis refuses fails at once (ioredis would
   * retry it for ever, in silence); no Redis within `connectTimeout` fails then. Only at start: a
   * host that has been up waits out any outage.
   */
  #reachRedis(): Promise<void> {
    const connections = [this.#command, this.#subscriber];
    const where = redisAddress(this.#o.connection);
    let last: Error | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onReady!: () => void;
    let onError!: (error: Error) => void;
    return new Promise<void>((resolve, reject) => {
      onReady = () => {
        if (connections.every((redis) => redis.status === 'ready')) resolve();
      };
      onError = (error) => {
        last = error;
        if (isLoginRefused(error)) reject(new HostStartError(`Redis at ${where} refused this host's login: ${error.message}`));
      };
      for (const redis of connections) redis.on('ready', onReady).on('error', onError);
      timer = setTimeout(() => {
        reject(new HostStartError(`cannot reach Redis at ${where} within ${this.#o.connectTimeout} ms${last ? `: ${last.message}` : ''}`));
      }, this.#o.connectTimeout);
      // ioredis's reconnect timers keep the process up while it waits; a host that failed otherwise need not.
      timer.unref?.();
      onReady();
    }).finally(() => {
      clearTimeout(timer);
      for (const redis of connections) redis.off('ready', onReady).off('error', onError);
    });
  }

  async #listen(): Promise<void> {
    // Not before the connection is ready: ioredis would send its ready check (INFO) behind the
    // SUBSCRIBE, Redis refuses it in subscriber mode, and the reconnect that follows comes back
    // with no subscription, so this host would never hear a cancel.
    const subscriber = this.#subscriber;
    if (subscriber.status !== 'ready') await new Promise((resolve) => subscriber.once('ready', resolve));
    await subscriber.subscribe(this.#keys.cancel);
    this.#subscriber.on('message', (_channel: string, message: string) => this.#onCancel(message));
    const o = this.#o;
    this.#worker = new this.#bullmq!.Worker(this.#keys.queue, (job, token) => this.#process(job, token), {
      connection: connect(o.connection), prefix: o.prefix, concurrency: o.concurrency,
      lockDuration: o.lockDuration, stalledInterval: o.stalledInterval,
      // Retries are the pool's (`retries`), counted here from BullMQ's stalled counter.
      maxStalledCount: 1_000_000,
    });
    this.#worker.on('error', (error: Error) => (isConnectionError(error) ? this.#redisDown(error) : this.#log(`bullmq: ${error.message}`)));
    this.#worker.on('failed', (job, error) => this.#log(`job ${job?.id ?? '?'} failed without running: ${error.message}`));
    await this.#heartbeat();
    this.#timer = setInterval(() => void this.#heartbeat(), o.heartbeat);
    this.#log(`ready: host ${this.id} serves '${this.#moduleName}' to group '${o.group}'`);
  }

  /** Finishes running units (up to `grace` ms; the rest go back to the queue), then leaves. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#log(`stopping: finishing ${this.#running.size} running units (grace ${this.#o.grace} ms)`);
      clearInterval(this.#timer);
      if (this.#worker) {
        // Takes no more jobs, and settles once the jobs held here have ended. BullMQ returns this
        // same promise to any later close, forced or not: the units are made to end instead.
        const closed = this.#worker.close().catch((error: unknown) => this.#log(`bullmq: ${String(error)}`));
        // In an outage BullMQ's close waits for Redis for ever: with nothing running, nothing to wait for.
        const grace = this.#outage && this.#running.size === 0 ? 0 : this.#o.grace;
        if (!(await settlesWithin(closed, grace))) {
          // Stopping the local pools settles every unit held here (running or queued) at once,
          // unanswered: each job then goes back to the wait list (see #process) for another host.
          this.#handingBack = true;
          for (const local of this.#locals.values()) void local.pool.terminate();
          // Redis down: nothing can be handed back, and BullMQ would wait for Redis for ever.
          if (this.#outage) {
            this.#log(`grace over, Redis unreachable: ${this.#running.size} units go to other hosts when their lock runs out`);
          } else {
            this.#log(`grace over: handing back ${this.#running.size} units`);
            if (!(await settlesWithin(closed, handBackTimeout))) {
              this.#log(`could not hand the units back within ${handBackTimeout} ms: they go to other hosts when their lock runs out`);
            }
          }
        }
      }
      // Pools see a host gone when its heartbeat stops, too: this only says so at once.
      const leaving = this.#command.multi().srem(this.#keys.hosts, this.id).del(this.#keys.host(this.id)).exec().catch(() => {});
      if (!this.#outage) await settlesWithin(leaving, handBackTimeout);
      await this.#close();
      this.#log('stopped');
    })();
    return this.#stopping;
  }

  async #close(): Promise<void> {
    await Promise.all([...this.#locals.values()].map((local) => local.pool.terminate()));
    this.#locals.clear();
    this.#command.disconnect();
    this.#subscriber.disconnect();
  }

  // ---- one job: a batch of units ----------------------------------------------------------

  /**
   * Runs a job's units side by side on the local pool; each is answered on its own. A job whose
   * units the host hands back (stopping past its grace) goes back to the wait list unfinished.
   */
  async #process(job: BullJob, token: string | undefined): Promise<void> {
    const data = batchData(job.data);
    if (!data) throw new this.#bullmq!.UnrecoverableError('malformed job data: not a batch of @pool units');
    const { p: pool, u: units } = data;
    // Take a job ahead only while pools stream batches (the next one is then here when this one
    // ends). With BullMQ's concurrency above the running jobs, its loop asks Redis for another
    // job as soon as it takes one, and then blocks for the next marker: for a lone call, two
    // round trips that find nothing, on this host's CPU and Redis's while the unit crosses to its
    // worker (traced: ~0.35 ms of a ~4 ms round trip at load 10 on 2 cores). BullMQ reads the
    // setting as its loop turns; a job that ends takes the next waiting one in the same round trip.
    // Only once jobs have shown themselves short (see #jobMs).
    const short = this.#jobMs !== undefined && this.#jobMs < takeAheadBelowMs;
    this.#worker!.concurrency = data.m === 1 && short ? this.#jobs : this.#o.concurrency;
    const begun = performance.now();
    if (data.v !== this.#o.protocol) {
      this.#log(`pool ${pool.slice(0, 8)} speaks protocol ${data.v}, this host ${this.#o.protocol}: ${units.length} unit(s) failed, not run`);
      const why = serializeError(new Error(
        `Host ${this.id} speaks @pool protocol ${this.#o.protocol}, the pool's ${data.v}: run one version of @pool on pools and hosts`));
      await Promise.all(units.map((unit) => this.#reply(pool, [unit, Status.Broken, why])));
      return;
    }
    const client = await this.#client(pool);
    if (!client) {
      if (this.#o.verbose) this.#log(`pool ${pool.slice(0, 8)} is gone: ${units.length} units dropped`);
      return;
    }
    const refusal = client.refusal;
    if (refusal) {
      await Promise.all(units.map((unit) => this.#reply(pool, [unit, Status.Broken, serializeError(refusal)])));
      return;
    }
    // BullMQ counts the job's stalls (hosts that died holding it); each unit weighs them against its own retries.
    const stalls = job.stalledCounter ?? 0;
    const settled = await Promise.all(units.map((unit, i) => this.#unit(pool, client, unit, data.r[i]! - stalls, data.b[i]!)));
    if (settled.includes(false)) return this.#handBack(job, token);
    const took = performance.now() - begun;
    this.#jobMs = this.#jobMs === undefined ? took : 0.8 * this.#jobMs + 0.2 * took;
    this.#evictLocals();
  }

  /**
   * Puts a job back at the head of the wait list, lock released, as BullMQ does for a rate-limited
   * one: not a stall, so no retry is spent (the units did not fail), and the next host takes it
   * now rather than after `--lock-duration`. Its answered units run again there; their second
   * answers are dropped by the pool. Throws BullMQ's `WaitingError`, which tells it the job has
   * moved on (neither completed nor failed).
   */
  async #handBack(job: BullJob, token: string | undefined): Promise<never> {
    try {
      await job.moveToWait(token);
    } catch (error) {
      // Still locked here: the lock runs out once this host has left, and another host takes it then.
      this.#log(`job ${job.id}: could not hand it back (${(error as Error).message}): its lock will run out`);
    }
    throw new this.#bullmq!.WaitingError();
  }

  /**
   * One unit of a batch: run on the local pool, unless its retries are spent, it is malformed, it
   * was cancelled or its pool broke here. Resolves `false` when the unit is handed back unanswered
   * (the host is stopping past its grace), else `true` once it is answered or needs no answer.
   */
  async #unit(pool: string, client: Client, unit: number, retries: number, base64: string): Promise<boolean> {
    if (retries < 0) {
      this.#log(`unit ${unit} of pool ${pool.slice(0, 8)}: its hosts died more often than its retries allow: failed`);
      await this.#reply(pool, [unit, Status.Error, serializeError(new WorkerExitError(null, null, {
        cause: new Error('The host running the task stopped renewing its lock, more often than the call allows retries'),
      }))]);
      return true;
    }
    if (this.#cancelled.get(pool)?.delete(unit)) return true;
    // A pool broken here stays broken: its units in flight do not start its initializer again.
    if (client.broken !== undefined) {
      await this.#reply(pool, [unit, Status.Broken, client.broken]);
      return true;
    }
    if (this.#handingBack) return false;
    let payload: UnitPayload;
    try {
      payload = unitPayload(base64);
    } catch (error) {
      this.#log(`unit ${unit} of pool ${pool.slice(0, 8)} is malformed: failed, not run`);
      await this.#reply(pool, [unit, Status.Error, serializeError(error)]);
      return true;
    }
    const local = this.#local(client.config);
    const controller = new UnitCancel();
    const id = `${pool} ${unit}`;
    this.#running.set(id, { pool, unit, controller });
    client.running++;
    local.running++;
    let outcome: Outcome;
    try {
      outcome = await run(local.pool, payload, controller, retries);
    } finally {
      this.#running.delete(id);
      client.running--;
      local.running--;
      local.usedAt = Date.now();
    }
    if (outcome[0] === Status.Broken) client.broken ??= outcome[1];
    // Once the units that saw it broken have settled, a broken local pool leaves the cache: a new
    // pool with the same settings tries the initializer again on a fresh one.
    if (local.pool.state === 'BROKEN' && local.running === 0) this.#forgetLocal(local);
    // Cancelled: nobody waits for it.
    if (controller.aborted) return true;
    // Settled by the hand-back (its local pool stopped), or as it began: another host runs it and answers.
    if (this.#handingBack) return false;
    if (outcome[0] === Status.Broken) this.#log(`pool ${pool.slice(0, 8)}: the module or initializer failed here: ${describeError(outcome[1])}`);
    if (this.#o.verbose) this.#log(`unit ${unit} of pool ${pool.slice(0, 8)}: ${outcome[0] === Status.Ok ? 'ok' : 'failed'}`);
    await this.#reply(pool, [unit, ...outcome]);
    return true;
  }

  /** The pool's lease, read once and then checked each heartbeat; `null` once the pool is gone. */
  async #client(pool: string): Promise<Client | null> {
    const known = this.#clients.get(pool);
    if (known) return known;
    // A new pool's first jobs often come together: one read of its lease for all of them.
    let reading = this.#readingLeases.get(pool);
    if (!reading) {
      reading = this.#readLease(pool).finally(() => this.#readingLeases.delete(pool));
      this.#readingLeases.set(pool, reading);
    }
    return reading;
  }

  /** Reads a pool's lease and checks its settings against this host's module: a {@link Client}, or `null` once the pool is gone. */
  async #readLease(pool: string): Promise<Client | null> {
    const bytes = await this.#command.getBuffer(this.#keys.lease(pool));
    if (!bytes) return null;
    let config: PoolConfig;
    let refusal: Error | null = null;
    try {
      config = decodeConfig(bytes);
    } catch (error) {
      config = { module: '', sha256: null, initializer: null, initargs: [], maxTasksPerChild: null };
      refusal = error as Error;
    }
    if (!refusal && config.module !== this.#moduleName) {
      refusal = new Error(`Host ${this.id} serves the module '${this.#moduleName}', the pool names '${config.module}': start hosts with --module for it, or use another group`);
    } else if (!refusal && config.sha256 !== null && config.sha256 !== this.#sha256) {
      refusal = new Error(`Host ${this.id} serves '${this.#moduleName}' with sha256 ${this.#sha256}, the pool pins ${config.sha256}`);
    }
    if (refusal) this.#log(`pool ${pool.slice(0, 8)} refused: ${refusal.message}`);
    else this.#log(`pool ${pool.slice(0, 8)} connected${config.initializer ? ` (initializer ${config.initializer})` : ''}`);
    const client: Client = { config, refusal, local: localKey(config), checkedAt: Date.now(), running: 0, broken: undefined };
    this.#clients.set(pool, client);
    return client;
  }

  /** The local pool for a pool's settings, started on first use. */
  #local(config: PoolConfig): LocalPool {
    const key = localKey(config);
    let local = this.#locals.get(key);
    // Broke with no unit on it (a replacement worker's initializer failed): nobody saw it broken.
    if (local?.pool.state === 'BROKEN' && local.running === 0) {
      this.#forgetLocal(local);
      local = undefined;
    }
    if (!local) {
      const adapter = executors[this.#o.executor]();
      const maxTasksPerChild = config.maxTasksPerChild ?? this.#o.maxTasksPerChild ?? undefined;
      const pool = new Pool({
        adapter, module: this.#moduleUrl, processes: this.#o.concurrency,
        ...(config.initializer !== null && { initializer: config.initializer, initargs: config.initargs }),
        ...(maxTasksPerChild !== undefined && { maxTasksPerChild }),
        ...(this.#o.startTimeout !== null && { startTimeout: this.#o.startTimeout }),
      });
      local = { key, pool, running: 0, usedAt: Date.now() };
      this.#locals.set(key, local);
    }
    return local;
  }

  /** Stops a local pool and takes it out of the cache (if it is still the one there). */
  #forgetLocal(local: LocalPool): void {
    if (this.#locals.get(local.key) === local) this.#locals.delete(local.key);
    void local.pool.terminate();
  }

  /** Keeps at most {@link maxLocalPools}, stopping the least recently used idle ones. */
  #evictLocals(): void {
    if (this.#locals.size <= maxLocalPools) return;
    const idle = [...this.#locals].filter(([, local]) => local.running === 0).sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [, local] of idle.slice(0, this.#locals.size - maxLocalPools)) this.#forgetLocal(local);
  }

  // ---- replies, cancellation, liveness --------------------------------------------------

  /**
   * Pushes a reply; replies of one turn to one pool go as one RPUSH. Resolves once Redis has it.
   * While other units run here, a reply waits for the end of the event loop's turn, when those
   * finishing with it have answered too; with none running, only for the replies made with it.
   */
  #reply(pool: string, reply: Reply): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = encode(reply);
    } catch (error) {
      // The reply is `[unit, status, value]`: a path into it starts at `[2]`, the task's result.
      const why = error instanceof CodecError ? `${error.path.replace(/^\[2\]/, 'result') || 'result'}: ${error.reason}` : String(error);
      bytes = encode(unsendable(reply, why));
    }
    const key = this.#keys.replies(pool);
    let batch = this.#batches.get(key);
    if (!batch) {
      const items: Buffer[] = [];
      const turn = this.#running.size > 0 ? setImmediate : queueMicrotask;
      const done = new Promise<void>((resolve) => turn(() => resolve())).then(async () => {
        this.#batches.delete(key);
        const refused = await this.#push(key, items);
        if (refused) await this.#pushEach(pool, key, items);
      });
      batch = { items, done };
      this.#batches.set(key, batch);
    }
    batch.items.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return batch.done;
  }

  /**
   * RPUSHes replies and renews their list's TTL. Resolves with the error of a Redis that refused
   * them (see {@link isRefusal}), else `null`: a reply lost with the connection is left to the
   * pool, which sends the unit again once its job is gone unanswered.
   */
  async #push(key: string, items: readonly Buffer[]): Promise<Error | null> {
    const results = await this.#command.pipeline().rpush(key, ...items).pexpire(key, replyTtl).exec();
    const error = results?.[0]?.[0];
    return error && isRefusal(error) ? error : null;
  }

  /**
   * After Redis refused a turn's replies: each alone, and one it still refuses is answered with a
   * small `MaybeEncodingError` that says why. Otherwise the unit would run again and again: its
   * job ends unanswered, and the pool sends it again.
   */
  async #pushEach(pool: string, key: string, items: readonly Buffer[]): Promise<void> {
    for (const item of items) {
      // Alone too, with patience: a small reply refused during another's brief OOM gets through.
      const why = await patiently(() => this.#push(key, [item]));
      if (!why) continue;
      // Read back from what was sent, on this rare path: nothing is kept per reply for it.
      const reply = decodeReply(item);
      if (!reply) continue;
      this.#log(`unit ${reply[0]} of pool ${pool.slice(0, 8)}: Redis refused its answer (${item.byteLength} bytes): ${why.message}`);
      const bytes = encode(unsendable(reply, `Redis refused the result (${item.byteLength} bytes encoded): ${why.message}`));
      const again = await patiently(() => this.#push(key, [Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]));
      if (again) this.#log(`unit ${reply[0]} of pool ${pool.slice(0, 8)}: Redis refused the error that says so too: ${again.message}`);
    }
  }

  /** `POOL IDS` or `POOL *`: stop those units where they run here, and skip those not started yet. */
  #onCancel(message: string): void {
    const [pool, list] = message.split(' ');
    if (!pool || !list) return;
    const units = list === '*' ? null : new Set(list.split(',').map(Number));
    for (const running of this.#running.values()) {
      if (running.pool === pool && (units === null || units.has(running.unit))) running.controller.abort();
    }
    // `*`: the pool is leaving; its lease goes with it, and so will any job of it still queued.
    if (units === null) {
      this.#cancelled.delete(pool);
      return;
    }
    let cancelled = this.#cancelled.get(pool);
    if (!cancelled) {
      cancelled = new Set();
      this.#cancelled.set(pool, cancelled);
    }
    for (const unit of units) cancelled.add(unit);
    // Bounded: cancellations of units that never reach this host are forgotten, oldest first.
    for (const unit of cancelled) {
      if (cancelled.size <= maxCancelled) break;
      cancelled.delete(unit);
    }
    for (const key of this.#cancelled.keys()) {
      if (this.#cancelled.size <= maxCancelledPools) break;
      this.#cancelled.delete(key);
    }
  }

  /** Says this host is alive; forgets pools whose lease is gone, stopping their running units. */
  async #heartbeat(): Promise<void> {
    try {
      await this.#command.multi().sadd(this.#keys.hosts, this.id)
        .set(this.#keys.host(this.id), JSON.stringify({ module: this.#moduleName, concurrency: this.#o.concurrency, jobs: this.#jobs }), 'PX', 3 * this.#o.heartbeat)
        .exec();
      const pools = [...this.#clients.keys()];
      if (pools.length === 0) return;
      const alive = await this.#command.exists(...pools.map((p) => this.#keys.lease(p))) === pools.length
        ? pools.map(() => 1)
        : await Promise.all(pools.map((p) => this.#command.exists(this.#keys.lease(p))));
      pools.forEach((pool, i) => {
        if (alive[i]) return;
        const client = this.#clients.get(pool)!;
        this.#clients.delete(pool);
        this.#cancelled.delete(pool);
        if (client.running > 0) {
          this.#log(`pool ${pool.slice(0, 8)} is gone (lease expired): stopping its ${client.running} running units`);
          this.#onCancel(`${pool} *`);
        }
      });
    } catch {
      // Redis is away: the connection's own error says so once.
    }
  }

  #log(message: string): void {
    this.#o.log(`pool-worker ${this.id}: ${message}`);
  }
}

/**
 * A unit's cancel switch, passed to the local pool as its `signal`: the part of `AbortSignal`
 * the pool uses. Node's `AbortController` costs ~15 µs a unit in a host's profile (its
 * `EventTarget`, and the brand checks of its getters), on every unit, for a cancel that rarely comes.
 */
class UnitCancel implements AbortSignalLike {
  aborted = false;
  #listeners: Array<() => void> = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.#listeners.indexOf(listener);
    if (i >= 0) this.#listeners.splice(i, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}

/** Runs one unit on the local pool: its value, or its error (with, for a chunk, the values before it). */
async function run(pool: Pool, { kind, task, args, valuesBeforeError }: UnitPayload, signal: AbortSignalLike, retries: number): Promise<Outcome> {
  const options = { signal, retries };
  const chunksize = Math.max(1, args.length);
  let values: unknown[] = [];
  try {
    if (kind === TaskKind.Call) return [Status.Ok, await pool.apply(task, args as unknown[], options)];
    if (kind === TaskKind.Starmap) return [Status.Ok, await pool.starmap(task, args as unknown[][], { ...options, chunksize })];
    // An imap's chunk goes item by item, so that a failing one still gives the values before the
    // failing item; a map's, which fails whole, as one map (for await took ~2 ms more per 31,250).
    if (valuesBeforeError) for await (const value of pool.imap(task, args, { ...options, chunksize })) values.push(value);
    else values = await pool.map(task, args, { ...options, chunksize });
    // Packed items came from a pool that reads packed values: numbers go back as they came.
    return [Status.Ok, isPacked(args) ? (packNumbers([values], 1) ?? values) : values];
  } catch (error) {
    if (error instanceof BrokenPoolError) return [Status.Broken, serializeError(error.cause ?? error)];
    return [Status.Error, serializeError(error), values];
  }
}

/** A reply that cannot reach the pool, as the `MaybeEncodingError` that says why. */
function unsendable(reply: Reply, reason: string): Reply {
  const what = reply[1] === Status.Ok ? describe(reply[2]) : 'the error';
  return [reply[0], Status.Error, serializeError(new MaybeEncodingError(what, reason))];
}

/** The connection's address for messages: a URL without its password, or `host:port`. */
function redisAddress(connection: string | RedisOptions): string {
  if (typeof connection !== 'string') return `${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
  try {
    const url = new URL(connection);
    if (url.password) url.password = '***';
    return url.href.replace(/\/$/, '');
  } catch {
    return connection.replace(/\/\/[^@/]*@/, '//***@');
  }
}

function localKey(config: PoolConfig): string {
  if (config.initializer === null && config.maxTasksPerChild === null) return '';
  const args = config.initializer === null ? '' : Buffer.from(encode(config.initargs)).toString('base64');
  return `${config.initializer ?? ''}\u0000${args}\u0000${config.maxTasksPerChild ?? ''}`;
}

function describeError(value: unknown): string {
  const e = value as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? ''}`;
}

