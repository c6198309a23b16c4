/**
 * The pool's side: an {@link Executor} that turns task units into BullMQ jobs of the group's
 * queue, keeps at most `processes` of them in flight, and reads the answers from the pool's own
 * reply list. Answers name their unit: the first one settles it, later ones are dropped.
 * @module
 */
import { Queue as BullQueue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataCloneError } from '@pool/core';
import {
  Queue, TaskKind, deserializeError, explainCloneError, type Executor, type ExecutorCounts, type ExecutorHost, type Job, type PoolInit, type SerializedError,
  type TaskUnit,
} from '@pool/core/executor';
import { CodecError, encode } from './codec.js';
import { HostUnavailableError } from './errors.js';
import { Status, encodeConfig, jobId, keys, moduleName, reply, type PoolConfig, type UnitData } from './wire.js';

/** What the executor needs from the adapter's options, resolved. */
export interface ClientSettings {
  readonly connect: () => Redis;
  readonly group: string;
  readonly prefix: string;
  readonly moduleSha256: string | null;
  readonly heartbeat: number;
  readonly lease: number;
  readonly unavailableTimeout: number;
  readonly maxUnitBytes: number;
  readonly log: ((line: string) => void) | null;
}

type Mode = 'running' | 'closed' | 'stopped';

/** The executor of one pool on one group. */
export class BullExecutor implements Executor {
  readonly #s: ClientSettings;
  readonly #host: ExecutorHost;
  readonly #size: number;
  /** The pool's protocol version, stamped on every unit. */
  readonly #protocol: number;
  readonly #id = crypto.randomUUID();
  readonly #keys: ReturnType<typeof keys>;
  readonly #config: Buffer;
  readonly #command: Redis;
  readonly #reader: Redis;
  readonly #queue: BullQueue;
  /** Units waiting for room in flight. */
  readonly #waiting = new Queue<TaskUnit>();
  /** Units sent as jobs and not answered yet, by id. */
  readonly #sent = new Map<number, TaskUnit>();
  #nextId = 0;
  #mode: Mode = 'running';
  #dispatchScheduled = false;
  #completed = 0;
  #failed = 0;
  /** Live hosts at the last check; `null` before the first. */
  #hosts: number | null = null;
  /** When the cluster was last seen able to work (Redis answered, a host was alive), or work began. */
  #lastLive = Date.now();
  #lastError: unknown;
  #polling = false;
  /** Units whose job Redis did not have at the last check (and had not answered). */
  #missing = new Set<number>();
  readonly #timer: ReturnType<typeof setInterval>;
  #referenced = true;
  #exited: Promise<void> | undefined;
  #resolveExited!: () => void;
  readonly #exitedPromise = new Promise<void>((resolve) => (this.#resolveExited = resolve));

  constructor(settings: ClientSettings, init: PoolInit, host: ExecutorHost) {
    this.#s = settings;
    this.#host = host;
    this.#size = init.processes;
    this.#protocol = init.protocol;
    this.#keys = keys(settings.prefix, settings.group);
    if (init.module === null) {
      throw new TypeError("The bullmq adapter needs 'module': the name of the task module its hosts serve (pool-worker --module)");
    }
    if (init.initializer !== null && typeof init.initializer !== 'string') {
      throw new TypeError('The bullmq adapter cannot run function initializers: name an export of the module');
    }
    const config: PoolConfig = {
      module: moduleName(init.module), sha256: settings.moduleSha256, initializer: init.initializer,
      initargs: init.initargs, maxTasksPerChild: init.maxTasksPerChild ?? null,
    };
    let encoded: Buffer | undefined;
    try {
      encoded = encodeConfig(config);
    } catch (error) {
      // As on every adapter: initargs that cannot cross break the pool, they do not throw here.
      host.broken(cloneError(error, 'initargs'));
    }
    this.#config = encoded ?? Buffer.alloc(0);
    this.#command = settings.connect();
    this.#reader = settings.connect();
    for (const redis of [this.#command, this.#reader]) {
      redis.on('error', (error: unknown) => {
        this.#lastError = error;
      });
      redis.on('connect', () => this.#applyRef(redis));
    }
    this.#queue = new BullQueue(this.#keys.queue, { connection: this.#command, prefix: settings.prefix });
    this.#queue.on('error', (error: unknown) => {
      this.#lastError = error;
    });
    this.#timer = setInterval(() => this.#check(), settings.heartbeat);
    this.#check();
    void this.#read();
  }

  // ---- Executor ------------------------------------------------------------------------

  counts(): ExecutorCounts {
    const up = this.#mode !== 'stopped' && !(this.#mode === 'closed' && this.#exited) && (this.#hosts ?? 0) > 0;
    return {
      workers: up ? this.#size : 0, starting: 0, busy: this.#sent.size, queued: this.#waiting.length,
      completed: this.#completed, failed: this.#failed,
    };
  }

  enqueue(unit: TaskUnit): void {
    if (this.#sent.size === 0 && this.#waiting.length === 0) this.#lastLive = Math.max(this.#lastLive, Date.now() - this.#s.heartbeat);
    this.#waiting.push(unit);
    if (!this.#dispatchScheduled) {
      this.#dispatchScheduled = true;
      queueMicrotask(() => this.#dispatch());
    }
  }

  withdraw(job: Job): void {
    this.#drop(job);
  }

  cancel(job: Job): void {
    const ids = this.#drop(job);
    this.#failed += ids.length;
    if (ids.length > 0) this.#command.publish(this.#keys.cancel, `${this.#id} ${ids.join(',')}`).catch(() => {});
  }

  clear(): void {
    this.#waiting.clear();
    this.#sent.clear();
  }

  close(): void {
    if (this.#mode !== 'running') return;
    this.#mode = 'closed';
    if (this.#sent.size === 0 && this.#waiting.length === 0) void this.#shutDown(false);
  }

  stop(): Promise<void> {
    this.#mode = 'stopped';
    return this.#shutDown(true);
  }

  exited(): Promise<void> {
    return this.#exitedPromise;
  }

  reference(wanted: boolean): void {
    if (wanted === this.#referenced) return;
    this.#referenced = wanted;
    if (wanted) this.#timer.ref?.();
    else this.#timer.unref?.();
    this.#applyRef(this.#command);
    this.#applyRef(this.#reader);
  }

  // ---- sending ---------------------------------------------------------------------------

  /** Sends waiting units while there is room in flight, as one `addBulk`. */
  #dispatch(): void {
    this.#dispatchScheduled = false;
    if (this.#mode === 'stopped') return;
    const jobs: Array<{ name: string; data: UnitData; opts: object }> = [];
    while (this.#sent.size < this.#size && this.#waiting.length > 0) {
      const unit = this.#waiting.shift()!;
      if (!unit.pending) continue;
      const id = ++this.#nextId;
      const data = this.#encode(unit, id);
      if (!data) continue;
      unit.id = id;
      this.#sent.set(id, unit);
      jobs.push({ name: 'unit', data, opts: { jobId: jobId(this.#id, id), removeOnComplete: true, removeOnFail: true } });
    }
    if (jobs.length > 0) this.#queue.addBulk(jobs).catch((error: unknown) => this.#note('could not add jobs', error));
  }

  /** A unit as job data, or `undefined` after failing it (DataCloneError) when it cannot be sent. */
  #encode(unit: TaskUnit, id: number): UnitData | undefined {
    try {
      const { kind, task } = unit.call;
      const bytes = encode({ kind, task, args: unit.args }, 'unit');
      if (bytes.byteLength > this.#s.maxUnitBytes) {
        throw new DataCloneError(`The call's arguments take ${bytes.byteLength} bytes, over the adapter's maxUnitBytes (${this.#s.maxUnitBytes})`);
      }
      return { v: this.#protocol, p: this.#id, u: id, r: unit.retriesLeft, b: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
    } catch (error) {
      this.#failed++;
      unit.settle(false, explainCloneError(cloneError(error, 'args'), unit.args, unit.call.kind !== TaskKind.Call));
      return undefined;
    }
  }

  /** Takes a job's units out of the executor; removes those still waiting in Redis. Returns their ids. */
  #drop(job: Job): number[] {
    if (this.#waiting.length > 0) this.#waiting.remove((unit) => unit.job === job);
    const ids: number[] = [];
    for (const [id, unit] of this.#sent) if (unit.job === job) ids.push(id);
    for (const id of ids) {
      this.#sent.delete(id);
      // A job that a host holds (locked) stays; its answer, if any, finds nobody waiting.
      this.#queue.remove(jobId(this.#id, id)).catch(() => {});
    }
    if (ids.length > 0) this.#schedule();
    return ids;
  }

  #schedule(): void {
    if (this.#dispatchScheduled) return;
    this.#dispatchScheduled = true;
    queueMicrotask(() => this.#dispatch());
  }

  // ---- answers ---------------------------------------------------------------------------

  /** Reads the reply list until the executor stops: one blocking pop, then whatever else is there. */
  async #read(): Promise<void> {
    const key = this.#keys.replies(this.#id);
    while (!this.#finished()) {
      try {
        const first = await this.#reader.blpopBuffer(key, 1);
        if (!first) continue;
        this.#answer(first[1]);
        const more = (await this.#reader.lpopBuffer(key, 1000)) as unknown as Buffer[] | null;
        if (more) for (const bytes of more) this.#answer(bytes);
      } catch (error) {
        if (this.#finished()) return;
        this.#lastError = error;
        // The connection is down: ioredis reconnects; try again shortly rather than spin.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  #answer(bytes: Buffer): void {
    const r = reply(bytes);
    if (!r) return this.#note('dropped a malformed reply');
    const [id, status, value, done] = r;
    const unit = this.#sent.get(id);
    if (!unit) return; // a late duplicate (a re-run), or a unit whose call has settled
    this.#sent.delete(id);
    this.#schedule();
    if (status === Status.Broken) {
      this.#host.broken(deserializeError(value as SerializedError));
      return;
    }
    if (!unit.pending) return;
    if (status === Status.Ok) this.#completed++;
    else this.#failed++;
    unit.settle(status === Status.Ok, status === Status.Ok ? value : deserializeError(value as SerializedError), done);
    if (this.#mode === 'closed' && this.#sent.size === 0 && this.#waiting.length === 0) void this.#shutDown(false);
  }

  // ---- liveness --------------------------------------------------------------------------

  /**
   * Once per heartbeat: renew the lease (its loss means Redis lost our jobs: send them again),
   * count live hosts, and fail pending work if the cluster has been unreachable too long.
   */
  #check(): void {
    if (this.#finished()) return;
    const now = Date.now();
    if (this.#sent.size + this.#waiting.length === 0) this.#lastLive = now;
    else if (now - this.#lastLive > this.#s.unavailableTimeout) this.#giveUp();
    if (this.#polling) return;
    this.#polling = true;
    void this.#poll().finally(() => (this.#polling = false));
  }

  async #poll(): Promise<void> {
    try {
      const lease = this.#keys.lease(this.#id);
      const [[, before], [, members]] = (await this.#command.multi()
        .set(lease, this.#config, 'PX', this.#s.lease, 'GET')
        .smembers(this.#keys.hosts)
        .exec()) as [[unknown, unknown], [unknown, string[]]];
      let live = 0;
      if (members.length > 0) {
        const alive = await this.#command.mget(members.map((m) => this.#keys.host(m)));
        const dead = members.filter((_, i) => alive[i] === null);
        live = members.length - dead.length;
        if (dead.length > 0) await this.#command.srem(this.#keys.hosts, ...dead);
      }
      if (this.#finished()) return;
      if (this.#hosts !== null && before === null && this.#sent.size > 0) {
        this.#note(`the pool's lease was gone (Redis restarted or lost data): sending ${this.#sent.size} units again`);
        this.#resend([...this.#sent.keys()]);
      } else {
        await this.#repair();
      }
      this.#hosts = live;
      if (live > 0) this.#lastLive = Date.now();
    } catch (error) {
      this.#lastError = error;
    }
  }

  /**
   * Sends again the units whose job Redis has lost without an answer (a restart, a host that
   * dropped it while the lease was briefly gone), once they are missing at two checks in a row:
   * a job just finished may have its answer on the way.
   */
  async #repair(): Promise<void> {
    const ids = [...this.#sent.keys()];
    if (ids.length === 0) {
      this.#missing.clear();
      return;
    }
    const exists = await this.#command.pipeline(ids.map((id) => ['exists', this.#queue.toKey(jobId(this.#id, id))])).exec();
    const missing = new Set(ids.filter((id, i) => exists?.[i]?.[1] === 0 && this.#sent.has(id)));
    const lost = [...missing].filter((id) => this.#missing.has(id));
    this.#missing = missing;
    if (lost.length > 0) {
      this.#note(`${lost.length} units were lost from Redis without an answer: sending them again`);
      this.#resend(lost);
    }
  }

  /** Adds units in flight again, under the same job ids: those Redis still has are not duplicated. */
  #resend(ids: readonly number[]): void {
    const jobs = ids.flatMap((id) => {
      const unit = this.#sent.get(id);
      if (!unit) return [];
      const data = this.#encode(unit, id);
      return data ? [{ name: 'unit', data, opts: { jobId: jobId(this.#id, id), removeOnComplete: true, removeOnFail: true } }] : [];
    });
    if (jobs.length > 0) this.#queue.addBulk(jobs).catch((error: unknown) => this.#note('could not add jobs again', error));
  }

  /** Fails everything pending: the cluster has been out of reach for `unavailableTimeout`. */
  #giveUp(): void {
    const why = this.#hosts === 0 || this.#hosts === null
      ? `no live pool-worker host served group '${this.#s.group}'`
      : `Redis could not be reached`;
    const error = new HostUnavailableError(
      `${why} for ${this.#s.unavailableTimeout} ms: the call cannot run`, { cause: this.#lastError });
    this.#note(error.message);
    const units = [...this.#sent.values(), ...this.#waiting.clear()];
    this.#sent.clear();
    this.#lastLive = Date.now();
    for (const unit of units) {
      if (!unit.pending) continue;
      this.#failed++;
      unit.settle(false, error);
    }
  }

  // ---- the end ---------------------------------------------------------------------------

  #finished(): boolean {
    return this.#exited !== undefined;
  }

  /** Leaves Redis: drops the lease (hosts drop what is left of this pool's work), closes connections. */
  #shutDown(cancel: boolean): Promise<void> {
    this.#exited ??= (async () => {
      clearInterval(this.#timer);
      const ids = [...this.#sent.keys()];
      this.#sent.clear();
      this.#waiting.clear();
      const leave = async (): Promise<void> => {
        const steps: Array<Promise<unknown>> = [this.#command.del(this.#keys.lease(this.#id), this.#keys.replies(this.#id))];
        if (cancel && ids.length > 0) {
          steps.push(this.#command.publish(this.#keys.cancel, `${this.#id} *`));
          for (const id of ids) steps.push(this.#queue.remove(jobId(this.#id, id)));
        }
        await Promise.allSettled(steps);
      };
      // Best effort, and bounded: with Redis out of reach, the lease runs out by itself.
      if (this.#command.status === 'ready') await bounded(leave(), 2_000);
      await bounded(this.#queue.close(), 1_000);
      this.#command.disconnect();
      this.#reader.disconnect();
      this.#resolveExited();
    })();
    return this.#exited;
  }

  #applyRef(redis: Redis): void {
    const stream = (redis as unknown as { stream?: { ref?(): void; unref?(): void } }).stream;
    if (this.#referenced) stream?.ref?.();
    else stream?.unref?.();
  }

  #note(message: string, error?: unknown): void {
    if (error !== undefined) this.#lastError = error;
    this.#s.log?.(`[@pool/bullmq ${this.#id.slice(0, 8)}] ${message}${error === undefined ? '' : `: ${String(error)}`}`);
  }
}

function cloneError(error: unknown, what: string): Error {
  if (error instanceof DataCloneError || error instanceof TypeError) return error;
  if (error instanceof CodecError) return new DataCloneError(`A value cannot be sent to a host: ${error.message}`, { cause: error });
  return new DataCloneError(`The ${what} cannot be sent to a host: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise.catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
