/**
 * Observability figures: per-unit wait and run times as percentiles (recorded only where the pool
 * asks, in fixed ring buffers: nothing allocated per unit), per-worker utilisation, and why each
 * worker left.
 * @module
 */
import type { WorkerExit } from './adapter.js';
import type { TaskUnit } from './job.js';
import type { Slot } from './slot.js';

/** Percentiles of a series of milliseconds, over the most recent 1,024 samples. */
export interface Percentiles {
  /** Samples the figures are drawn from (at most the last 1,024). */
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Why a worker left. */
export type ExitReason =
  /** It died on its own (crash, exit, killed from outside) while the pool wanted it. */
  | 'crashed'
  /** `maxTasksPerChild`, `maxMemoryPerChild` or `maxLifetime` retired it. */
  | 'tasks' | 'memory' | 'lifetime'
  /** Idle longer than `idleTimeout`, above `minProcesses`. */
  | 'idle'
  /** Stopped for a cancelled call it was running (`timeout`, `signal`). */
  | 'cancelled'
  /** The pool was closed, terminated or broken. */
  | 'closed' | 'stopped';

/** One worker's exit, as `pool.metrics().exits` and the `workerexit` event give it. */
export interface WorkerExitRecord {
  /** The worker's number in this pool (1, 2, …). */
  worker: number;
  reason: ExitReason;
  exitCode: number | null;
  signal: string | null;
  /** The message of the uncaught error that killed it, if the runtime told. */
  error?: string;
  /** The last lines of its stderr, where the adapter captures them (`nodeProcesses()`). */
  stderr?: string;
  /** How long it lived, in ms. */
  livedMs: number;
  /** Units it answered. */
  tasks: number;
}

/** One live worker's figures. */
export interface WorkerFigures {
  worker: number;
  /** `'starting'`, `'ready'`, `'leaving'` (retiring), `'stopping'`. */
  phase: string;
  /** Units it answered. */
  tasks: number;
  /** Units it holds now (running or queued at it). */
  holding: number;
  /** Milliseconds it has lived. */
  uptimeMs: number;
  /** Share of its life spent running units, 0 to 1. */
  utilisation: number;
}

/** `pool.metrics()`. */
export interface PoolMetrics {
  /**
   * Per task unit (a call, or a map chunk): `wait` from submission until the worker began it,
   * `run` from then until its answer arrived. `null` unless the pool has `metrics: true`.
   */
  units: { wait: Percentiles; run: Percentiles } | null;
  /** Every live worker. */
  workers: WorkerFigures[];
  /** The last 32 exits, oldest first. */
  exits: WorkerExitRecord[];
}

/** A fixed ring of samples with percentiles on demand. */
export class Timings {
  static readonly capacity = 1024;
  readonly #samples = new Float64Array(Timings.capacity);
  #count = 0;

  record(ms: number): void {
    this.#samples[this.#count++ % Timings.capacity] = ms;
  }

  percentiles(): Percentiles {
    const n = Math.min(this.#count, Timings.capacity);
    const sorted = this.#samples.slice(0, n).sort();
    const at = (q: number): number => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(q * n))]!);
    return { count: n, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: n === 0 ? 0 : sorted[n - 1]! };
  }
}

/** How many exits `metrics().exits` keeps. */
const exitsKept = 32;

/** One executor's records: unit timings (where asked for) and the last exits. */
export class WorkerLog {
  /** Wait and run samples, made only where the pool times units: 16 KB no other pool needs. */
  readonly #units: { wait: Timings; run: Timings } | undefined;
  /** The last exits, oldest first. */
  readonly #exits: WorkerExitRecord[] = [];

  constructor(
    /** Whether units are timed: `unit.queuedAt` is then stamped on enqueue. */
    readonly timings: boolean,
  ) {
    this.#units = timings ? { wait: new Timings(), run: new Timings() } : undefined;
  }

  /** `unit` was answered by `slot` at `now` (called only where units are timed). */
  answered(unit: TaskUnit, slot: Slot, now: number): void {
    const units = this.#units!;
    units.run.record(slot.lastRunMs);
    units.wait.record(Math.max(0, now - unit.queuedAt - slot.lastRunMs));
  }

  /** `slot`'s worker has left: its record. */
  exited(slot: Slot, exit: WorkerExit): WorkerExitRecord {
    const error = exit.error === undefined ? undefined : exit.error instanceof Error ? exit.error.message : String(exit.error);
    const record: WorkerExitRecord = {
      worker: slot.id, reason: slot.reason, exitCode: exit.exitCode, signal: exit.signal,
      ...(error !== undefined && { error }), ...(exit.stderr !== undefined && { stderr: exit.stderr }),
      livedMs: performance.now() - slot.startedAt, tasks: slot.answered,
    };
    this.#exits.push(record);
    if (this.#exits.length > exitsKept) this.#exits.shift();
    return record;
  }

  metrics(slots: Iterable<Slot>): PoolMetrics {
    const now = performance.now();
    const units = this.#units ? { wait: this.#units.wait.percentiles(), run: this.#units.run.percentiles() } : null;
    return { units, workers: [...slots].map((slot) => slot.figures(now)), exits: [...this.#exits] };
  }
}
