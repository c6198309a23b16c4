/**
 * The pool's side: an {@link Executor} that packs task units into BullMQ jobs of the group's
 * queue (a batch per job: the units ready in one turn, spread over the hosts), keeps at most
 * `processes` units in flight, and reads the answers from the pool's own reply list. Answers
 * name their unit: the first one settles it, later ones are dropped.
 * @module
 */
import { Queue as BullQueue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataCloneError } from '@pool/core';
import {
  TaskKind, UnitQueue, deserializeError, explainCloneError, type Executor, type ExecutorCounts, type ExecutorHost, type Job, type PoolInit, type SerializedError,
  type TaskUnit,
} from '@pool/core/executor';
import { isRefusal, patiently, settlesWithin } from './connection.js';
import { CodecError, encode } from './codec.js';
import { HostUnavailableError } from './errors.js';
import {
  Status, encodeConfig, jobId, keys, moduleName, packFrom, reply, type BatchData, type PoolConfig,
} from './wire.js';
import { Batches, pack, type Ready } from './batches.js';

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

/** A batch as BullMQ's `add` takes it. */
interface UnitsJob {
  readonly name: string;
  readonly data: BatchData;
  readonly opts: { readonly jobId: string; readonly removeOnComplete: true; readonly removeOnFail: true };
}


/** What a job's units' arguments take, decoded (their payloads are base64). */
function jobBytes(job: UnitsJob): number {
  return job.data.b.reduce((sum, payload) => sum + Math.floor((payload.length * 3) / 4), 0);
}

/** The executor of one pool on one group. */
export class BullExecutor implements Executor {
  /** A map's long chunks of numbers go packed, and come back so (`wire.ts`). */
  readonly packFrom = packFrom;
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
  readonly #waiting = new UnitQueue();
  /** Units sent as jobs and not answered yet, by id. */
  readonly #sent = new Map<number, TaskUnit>();
  /** The batch (job) each unit in flight rides in. */
  readonly #batches = new Batches();
  #nextId = 0;
  #mode: Mode = 'running';
  #dispatchScheduled = false;
  /** Calls dropped since their units in flight were last swept (see `#sweep`), and whether each was cancelled. */
  readonly #dropped = new Map<Job, boolean>();
  #completed = 0;
  #failed = 0;
  /** Live hosts at the last check; `null` before the first. */
  #hosts: number | null = null;
  /** Jobs the live hosts take at once, at the last check; `null` before the first. */
  #slots: number | null = null;
  /** When the cluster was last seen able to work (Redis answered, a host was alive), or work began. */
  #lastLive = Date.now();
  #lastError: unknown;
  #polling = false;
  /** Jobs (batch keys) that Redis did not have at the last check, with units unanswered. */
  #missing = new Set<string>();
  /** Jobs Redis refused that are being added again, patiently (`#refused`). */
  readonly #retrying = new Set<string>();
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
    this.#sweep();
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
    this.#drop(job, false);
  }

  cancel(job: Job): void {
    this.#drop(job, true);
  }

  clear(): void {
    this.#waiting.clear();
    this.#forgetAll();
  }

  close(): void {
    if (this.#mode !== 'running') return;
    this.#mode = 'closed';
    this.#sweep();
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

  /**
   * Sends waiting units while there is room in flight, packed into batches, all in one `addBulk`.
   * Once the hosts' count is known, at most as many batches are out as the hosts take jobs at
   * once: units ready meanwhile wait for a batch to end and then leave together, so tiny tasks
   * ride big batches while every host still has work.
   */
  #dispatch(): void {
    this.#dispatchScheduled = false;
    if (this.#mode === 'stopped') return;
    const free = this.#slots === null ? Number.POSITIVE_INFINITY : this.#slots - this.#batches.size;
    if (free <= 0) return;
    const ready: Ready[] = [];
    while (this.#sent.size < this.#size && this.#waiting.length > 0) {
      const unit = this.#waiting.shift()!;
      if (!unit.pending) continue;
      const payload = this.#encode(unit);
      if (payload === undefined) continue;
      const id = ++this.#nextId;
      unit.id = id;
      this.#sent.set(id, unit);
      ready.push([id, payload]);
    }
    if (ready.length === 0) return;
    // Units left the queue: a producer awaiting `pool.ready()` may go on.
    if (this.#host.wantsRoom) this.#host.dequeued?.();
    const batches = pack(ready, free).map((units) => {
      const key = jobId(this.#id, units[0]![0]);
      this.#batches.add(key, units.map(([id]) => id));
      return [key, units] as const;
    });
    const jobs = batches.map(([key, units]) => this.#job(key, units));
    this.#add(jobs).catch((error: unknown) => this.#refused(jobs, error, 'could not add jobs'));
  }

  /**
   * Redis refused jobs (`OOM` under `maxmemory`, a value over `proto-max-bulk-len`, an ACL): their
   * calls fail with `DataCloneError` saying why, since sent again as they are they would be refused
   * again. `addBulk` is a pipeline, not a transaction: the jobs beside a refused one may be in
   * Redis, and only those missing are tried again, each alone, smallest first, and patiently while
   * Redis is out of memory (a big request holds memory for a moment after it is refused). A lost
   * connection is no refusal (ioredis holds commands until Redis is back): it is noted only.
   */
  async #refused(jobs: readonly UnitsJob[], error: unknown, what: string): Promise<void> {
    if (this.#finished() || !isRefusal(error)) return this.#note(what, error);
    const exists = await this.#command.pipeline(jobs.map((job) => ['exists', this.#queue.toKey(job.opts.jobId)])).exec().catch(() => null);
    const missing = jobs.filter((_, i) => exists?.[i]?.[1] !== 1).sort((a, b) => jobBytes(a) - jobBytes(b));
    // Not lost meanwhile: #repair leaves these to this.
    for (const job of missing) this.#retrying.add(job.opts.jobId);
    for (const job of missing) {
      const refusal = await this.#addPatiently(job);
      this.#retrying.delete(job.opts.jobId);
      if (refusal) this.#fail(job, new DataCloneError(`The call could not be queued: Redis refused its job (${jobBytes(job)} bytes of arguments): ${refusal.message}`, { cause: refusal }));
    }
  }

  /** Adds a job alone, patiently; Redis's refusal if it stands, else `null` (added, or nobody waits for it now). */
  #addPatiently(job: UnitsJob): Promise<Error | null> {
    const attempt = (): Promise<Error | null> => this.#add([job]).then(() => null, (error: unknown) => {
      if (isRefusal(error)) return error;
      this.#note('could not add a job', error);
      return null;
    });
    // Settled meanwhile (cancelled, terminated): nothing to send.
    return patiently(attempt, () => !this.#finished() && job.data.u.some((id) => this.#sent.get(id)?.pending === true));
  }

  /** Fails the calls of a job's units still in flight with `error`. */
  #fail(job: UnitsJob, error: Error): void {
    this.#note(error.message);
    for (const id of job.data.u) {
      const unit = this.#sent.get(id);
      if (!unit) continue;
      this.#forget(id);
      if (!unit.pending) continue;
      this.#failed++;
      unit.settle(false, error);
    }
    this.#schedule();
  }

  /**
   * Adds jobs in one round trip. A single job goes by `add`: `addBulk` builds an ioredis pipeline,
   * which copies every BullMQ script onto it — a cost on each call of a sequential caller.
   */
  #add(jobs: UnitsJob[]): Promise<unknown> {
    if (jobs.length === 1) return this.#queue.add(jobs[0]!.name, jobs[0]!.data, jobs[0]!.opts);
    return this.#queue.addBulk(jobs);
  }

  /** The BullMQ job of a batch (once every batch of its turn is booked: `m` looks at them all). */
  #job(key: string, units: readonly Ready[]): UnitsJob {
    const data: BatchData = {
      v: this.#protocol, p: this.#id, u: units.map(([id]) => id), r: units.map(([id]) => this.#sent.get(id)!.retriesLeft),
      b: units.map(([, payload]) => payload),
      ...((this.#batches.size > 1 || this.#waiting.length > 0) && { m: 1 as const }),
    };
    return { name: 'units', data, opts: { jobId: key, removeOnComplete: true, removeOnFail: true } } as const;
  }

  /** A unit's payload in base64, or `undefined` after failing it (DataCloneError) when it cannot be sent. */
  #encode(unit: TaskUnit): string | undefined {
    try {
      const { kind, task } = unit.call;
      const { args } = unit;
      // The flag only where it says something (an imap's chunk): no spread per unit.
      const payload = unit.job.valuesBeforeError ? { kind, task, args, valuesBeforeError: true } : { kind, task, args };
      // No root: what is refused is named from the payload's own fields, as `args[0].onDone`.
      const bytes = encode(payload, '');
      if (bytes.byteLength > this.#s.maxUnitBytes) {
        throw new DataCloneError(`The call's arguments take ${bytes.byteLength} bytes, over the adapter's maxUnitBytes (${this.#s.maxUnitBytes})`);
      }
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    } catch (error) {
      this.#failed++;
      unit.settle(false, explainCloneError(cloneError(error, 'args'), unit.args, unit.call.kind !== TaskKind.Call, 'a host'));
      return undefined;
    }
  }

  /**
   * Takes a call's units out of the executor, waiting and in flight (a cancelled call's are also
   * stopped where hosts run them), as core's queue does: in one sweep for every call dropped
   * meanwhile, in a task of its own (see `#sweep`).
   */
  #drop(job: Job, cancel: boolean): void {
    this.#waiting.withdraw(job);
    if (this.#sent.size === 0) return;
    if (this.#dropped.size === 0) setTimeout(() => this.#sweep(), 0).unref?.();
    this.#dropped.set(job, cancel || this.#dropped.get(job) === true);
  }

  /**
   * Sweeps the waiting units of dropped calls, then takes those in flight out in one pass, and
   * tells the hosts of the cancelled ones in one message: a pass and a PUBLISH per call made mass
   * cancellation quadratic (20,000 calls on one aborted signal: 1.5–2 s). What reads the counts
   * sweeps first; `#dispatch` skips units whose call has settled anyway.
   */
  #sweep(): void {
    this.#waiting.sweep();
    const dropped = this.#dropped;
    if (dropped.size === 0) return;
    const ids: number[] = [];
    const cancelled: number[] = [];
    for (const [id, unit] of this.#sent) {
      const cancel = dropped.get(unit.job);
      if (cancel === undefined) continue;
      ids.push(id);
      if (cancel) cancelled.push(id);
    }
    dropped.clear();
    for (const id of ids) {
      const empty = this.#forget(id);
      // A job that a host holds (locked) stays; its answers, if any, find nobody waiting. A batch
      // with other units in flight stays too: the host skips the cancelled ones it has not started.
      if (empty !== undefined) this.#queue.remove(empty).catch(() => {});
    }
    this.#failed += cancelled.length;
    if (cancelled.length > 0) this.#command.publish(this.#keys.cancel, `${this.#id} ${cancelled.join(',')}`).catch(() => {});
    if (ids.length > 0) this.#schedule();
  }

  /** Takes a unit out of flight. Returns its batch's job id once no unit of that batch is left in flight. */
  #forget(id: number): string | undefined {
    this.#sent.delete(id);
    return this.#batches.forget(id);
  }

  #forgetAll(): void {
    this.#sent.clear();
    this.#batches.clear();
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
        // More answers may be in the list only if other units were out as this one came; after the
        // turn below a sequential caller's next unit is out, unanswered (an LPOP a call, for nothing).
        const others = this.#sent.size > 0;
        // The next command waits a turn: the settled callers' continuations (a sequential caller's
        // next add) go first. Writing to the socket wakes Redis, which on a busy machine may take
        // this CPU a while: before those continuations, it sat on every round trip (~0.3 ms of 4).
        await new Promise((resolve) => setImmediate(resolve));
        // Others may have answered meanwhile: take them all in one more round trip.
        if (!others || this.#sent.size === 0) continue;
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
    // Cancelled, and not swept yet: it counts as the sweep would have counted it.
    if (this.#dropped.size > 0 && this.#dropped.get(unit.job) === true) this.#failed++;
    this.#forget(id);
    this.#schedule();
    if (status === Status.Broken) {
      this.#host.broken(deserializeError(value as SerializedError));
      return;
    }
    if (!unit.pending) return;
    // settle() is false for an answer past its call's deadline: the call timed out instead.
    if (unit.settle(status === Status.Ok, status === Status.Ok ? value : deserializeError(value as SerializedError), done) && status === Status.Ok) this.#completed++;
    else this.#failed++;
    if (this.#mode === 'closed' && this.#sent.size === 0) {
      this.#sweep();
      if (this.#waiting.length === 0) void this.#shutDown(false);
    }
  }

  // ---- liveness --------------------------------------------------------------------------

  /**
   * Once per heartbeat: renew the lease (its loss means Redis lost our jobs: send them again),
   * count live hosts, and fail pending work if the cluster has been unreachable too long.
   */
  #check(): void {
    if (this.#finished()) return;
    const now = Date.now();
    this.#sweep();
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
      let slots = 0;
      if (members.length > 0) {
        const alive = await this.#command.mget(members.map((m) => this.#keys.host(m)));
        const dead = members.filter((_, i) => alive[i] === null);
        live = members.length - dead.length;
        for (const value of alive) if (value !== null) slots += jobsOf(value);
        if (dead.length > 0) await this.#command.srem(this.#keys.hosts, ...dead);
      }
      if (this.#finished()) return;
      if (this.#hosts !== null && before === null && this.#sent.size > 0) {
        this.#note(`the pool's lease was gone (Redis restarted or lost data): sending ${this.#sent.size} units again`);
        this.#resend(this.#batches.keys());
      } else {
        await this.#repair();
      }
      this.#hosts = live;
      const slotsBefore = this.#slots;
      this.#slots = live > 0 ? slots : null;
      // More hosts (or none: no cap) may let waiting units go now.
      if (this.#slots !== slotsBefore && this.#waiting.length > 0) this.#schedule();
      if (live > 0) this.#lastLive = Date.now();
    } catch (error) {
      this.#lastError = error;
    }
  }

  /**
   * Sends again the units whose job Redis has lost without an answer (a restart, a host that
   * dropped it while the lease was briefly gone), once it is missing at two checks in a row: a
   * job just finished may have its answers on the way.
   */
  async #repair(): Promise<void> {
    const batches = this.#batches.keys();
    if (batches.length === 0) {
      this.#missing.clear();
      return;
    }
    const exists = await this.#command.pipeline(batches.map((key) => ['exists', this.#queue.toKey(key)])).exec();
    const missing = new Set(batches.filter((key, i) => exists?.[i]?.[1] === 0 && this.#batches.has(key) && !this.#retrying.has(key)));
    const lost = [...missing].filter((key) => this.#missing.has(key));
    this.#missing = missing;
    if (lost.length > 0) {
      this.#note(`${lost.length} jobs were lost from Redis without an answer: sending their units again`);
      this.#resend(lost);
    }
  }

  /** Adds batches again, with their units still in flight, under the same job ids: those Redis still has are not duplicated. */
  #resend(keys: readonly string[]): void {
    const jobs = keys.flatMap((key) => {
      const units: Ready[] = [];
      for (const id of this.#batches.units(key)) {
        const unit = this.#sent.get(id);
        if (!unit || (this.#dropped.size > 0 && this.#dropped.has(unit.job))) continue;
        const payload = this.#encode(unit);
        if (payload === undefined) this.#forget(id);
        else units.push([id, payload]);
      }
      return units.length > 0 ? [this.#job(key, units)] : [];
    });
    if (jobs.length > 0) this.#add(jobs).catch((error: unknown) => this.#refused(jobs, error, 'could not add jobs again'));
  }

  /** Fails everything pending: the cluster has been out of reach for `unavailableTimeout`. */
  #giveUp(): void {
    // Hosts are counted only once Redis has answered: before that, it is Redis that is missing.
    const why = this.#hosts === 0
      ? `no live pool-worker host served group '${this.#s.group}'`
      : `Redis could not be reached${this.#lastError instanceof Error ? ` (${this.#lastError.message})` : ''}`;
    const error = new HostUnavailableError(
      `${why} for ${this.#s.unavailableTimeout} ms: the call cannot run`, { cause: this.#lastError });
    this.#note(error.message);
    const ids = [...this.#sent.keys()];
    const batches = this.#batches.keys();
    const units = [...this.#sent.values(), ...this.#waiting.clear()];
    this.#forgetAll();
    // A call that has failed must never run later: its jobs leave the queue, and hosts that hold
    // one stop its units. With Redis away, the commands wait for it (ioredis's offline queue).
    if (ids.length > 0) {
      this.#command.publish(this.#keys.cancel, `${this.#id} ${ids.join(',')}`).catch(() => {});
      for (const key of batches) this.#queue.remove(key).catch(() => {});
    }
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
      const batches = this.#batches.keys();
      this.#forgetAll();
      this.#waiting.clear();
      const leave = async (): Promise<void> => {
        const steps: Array<Promise<unknown>> = [this.#command.del(this.#keys.lease(this.#id), this.#keys.replies(this.#id))];
        if (cancel && batches.length > 0) {
          steps.push(this.#command.publish(this.#keys.cancel, `${this.#id} *`));
          for (const key of batches) steps.push(this.#queue.remove(key));
        }
        await Promise.allSettled(steps);
      };
      // Best effort, and bounded: with Redis out of reach, the lease runs out by itself.
      if (this.#command.status === 'ready') await settlesWithin(leave(), 2_000);
      await settlesWithin(this.#queue.close(), 1_000);
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

/** How many jobs a host takes at once, from its liveness key (`{ jobs }`; older hosts: `{ concurrency }`). */
function jobsOf(value: string): number {
  try {
    const { jobs, concurrency } = JSON.parse(value) as { jobs?: unknown; concurrency?: unknown };
    const n = typeof jobs === 'number' ? jobs : typeof concurrency === 'number' ? concurrency : 1;
    return Number.isSafeInteger(n) && n > 0 ? n : 1;
  } catch {
    return 1;
  }
}

