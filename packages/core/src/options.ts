/**
 * The `new Pool()` options, checked eagerly: every bad value is a `TypeError` or `RangeError`
 * naming the option, and an option the adapter cannot honour is a `TypeError` naming both.
 * @module
 */
import type { Adapter } from './adapter.js';
import type { PoolInit, QueueAdapter } from './executor.js';
import { moduleUrl } from './module-url.js';
import { protocolVersion, type TaskRef } from './protocol.js';
import { argumentList, checkKeys, got, milliseconds, nonNegativeInteger, optionsObject, positiveInteger } from './validate.js';

const poolKeys = [
  'adapter', 'module', 'processes', 'initializer', 'initargs', 'maxTasksPerChild',
  'minProcesses', 'maxProcesses', 'idleTimeout', 'maxQueue', 'maxMemoryPerChild', 'maxLifetime', 'cancelGrace', 'metrics', 'startTimeout',
] as const;

/** `idleTimeout`'s default: a worker above `minProcesses` idle this long is retired. */
export const defaultIdleTimeout = 10_000;

/** The checked service options: what `PoolInit` carries beyond Python's, and the pool's own. */
export interface ServiceOptions {
  /** The maximum (dynamic) or the fixed size. */
  processes: number;
  init: Pick<PoolInit, 'sizing' | 'maxMemoryPerChild' | 'maxLifetime' | 'cancelGrace' | 'timings' | 'startTimeout'>;
  maxQueue: number | undefined;
}

/** The options beyond Python's: without any (the usual pool), none of their checks runs, nor is compiled. */
const serviceKeys = poolKeys.slice(poolKeys.indexOf('minProcesses'));

/** Checks the option keys and the service options (sizing, limits, backpressure, metrics). */
export function serviceOptions(options: unknown, adapter: Adapter | QueueAdapter): { opts: Record<string, unknown>; service: ServiceOptions } {
  const opts = optionsObject('Pool', options);
  checkKeys('Pool', opts, poolKeys);
  if (serviceKeys.some((key) => opts[key] !== undefined)) return { opts, service: checkService(opts, adapter) };
  const processes = positiveInteger('processes', opts['processes']) ?? Math.max(1, adapter.defaultProcesses());
  return { opts, service: { processes, init: { timings: false }, maxQueue: undefined } };
}

/** The service options, where any is given. */
function checkService(opts: Record<string, unknown>, adapter: Adapter | QueueAdapter): ServiceOptions {
  const processes = positiveInteger('processes', opts['processes']);
  const min = nonNegativeInteger('minProcesses', opts['minProcesses']);
  const max = positiveInteger('maxProcesses', opts['maxProcesses']);
  const idleTimeout = milliseconds('idleTimeout', opts['idleTimeout']);
  if (processes !== undefined && max !== undefined) {
    throw new TypeError("Give either 'processes' (a fixed size, or the maximum with 'minProcesses') or 'maxProcesses', not both");
  }
  const dynamic = min !== undefined || max !== undefined;
  if (!dynamic && idleTimeout !== undefined) throw new TypeError("'idleTimeout' applies to a dynamic size: give 'minProcesses' or 'maxProcesses' too");
  const size = max ?? processes ?? Math.max(1, adapter.defaultProcesses(), min ?? 0);
  if (min !== undefined && min > size) {
    throw new RangeError(`Expected 'minProcesses' (${min}) to be at most ${max !== undefined ? "'maxProcesses'" : "the maximum size ('processes', or the adapter's default)"} (${size})`);
  }
  if (dynamic && !adapter.supports.dynamicSize) {
    throw new TypeError(`The ${adapter.name} adapter cannot size its workers dynamically ('minProcesses', 'maxProcesses')`);
  }
  const maxMemoryMb = positiveNumber('maxMemoryPerChild', opts['maxMemoryPerChild']);
  if (maxMemoryMb !== undefined && !adapter.supports.memoryLimit) {
    throw new TypeError(`The ${adapter.name} adapter cannot measure a worker's memory ('maxMemoryPerChild')`);
  }
  const maxLifetime = milliseconds('maxLifetime', opts['maxLifetime']);
  if (maxLifetime === 0) throw new RangeError("Expected 'maxLifetime' to be milliseconds > 0, got 0");
  const cancelGrace = milliseconds('cancelGrace', opts['cancelGrace']);
  if (cancelGrace && !adapter.supports.cooperativeCancel) {
    throw new TypeError(`The ${adapter.name} adapter cannot let a cancelled task stop on its own ('cancelGrace')`);
  }
  const startTimeout = milliseconds('startTimeout', opts['startTimeout']);
  if (startTimeout === 0) throw new RangeError("Expected 'startTimeout' to be milliseconds > 0, got 0");
  if (startTimeout !== undefined && 'open' in adapter) {
    throw new TypeError(`The ${adapter.name} adapter starts no workers of its own: its hosts load the module ('startTimeout')`);
  }
  const metrics = opts['metrics'];
  if (metrics !== undefined && typeof metrics !== 'boolean') throw new TypeError(`Expected 'metrics' to be a boolean, got ${got(metrics)}`);
  return {
    processes: size,
    init: {
      sizing: dynamic ? { min: min ?? 0, idleTimeout: idleTimeout ?? defaultIdleTimeout } : undefined,
      // At least a byte: a limit so small it rounded to 0 would turn the limit off.
      maxMemoryPerChild: maxMemoryMb === undefined ? undefined : Math.max(1, Math.round(maxMemoryMb * 1024 * 1024)),
      maxLifetime,
      cancelGrace,
      timings: metrics === true,
      startTimeout,
    },
    maxQueue: positiveInteger('maxQueue', opts['maxQueue']),
  };
}

/**
 * Everything the executor needs from `new Pool(options)`: Python's options (module, initializer,
 * initargs, maxTasksPerChild) and the service options, checked. `taskRef` checks the initializer.
 */
export function poolInit(options: unknown, adapter: Adapter | QueueAdapter, taskRef: (task: unknown) => TaskRef): { init: PoolInit; maxQueue: number | undefined } {
  const { opts, service } = serviceOptions(options, adapter);
  const maxTasksPerChild = opts['maxTasksPerChild'] === null ? undefined : positiveInteger('maxTasksPerChild', opts['maxTasksPerChild']);
  const initargs = opts['initargs'] === undefined ? [] : argumentList('initargs', opts['initargs']);
  const initializer = opts['initializer'] === undefined || opts['initializer'] === null ? null : taskRef(opts['initializer']);
  const module = opts['module'] === undefined ? null : moduleUrl(opts['module'], adapter);
  const init: PoolInit = { protocol: protocolVersion, module, initializer, initargs, processes: service.processes, maxTasksPerChild, ...service.init };
  return { init, maxQueue: service.maxQueue };
}

/** `undefined`, or a finite number > 0. */
function positiveNumber(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TypeError(`Expected '${name}' to be a number > 0, got ${got(value)}`);
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`Expected '${name}' to be a number > 0, got ${got(value)}`);
  return value;
}
