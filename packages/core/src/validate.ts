/**
 * Eager checks of options and arguments, with messages that name the option and the bad value.
 * @module
 */
import type { TaskRef } from './protocol.js';
import type { AbortSignalLike } from './types.js';
import { asyncIterableHint } from './hints.js';
import { describe } from './serialize-error.js';
import { maxTimerMs } from './timers.js';

/** A bad value as a message shows it: a string in quotes, so that `'2'` does not read as `2`. */
export function got(value: unknown): string {
  return typeof value === 'string' ? `'${describe(value)}'` : describe(value);
}

/** Throws `TypeError` for keys of `options` not in `known` (a typo must not pass silently). */
export function checkKeys(what: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`Unknown ${what} option '${key}'; expected one of ${known.join(', ')}`);
  }
}

/** `undefined`, or an integer ≥ 1 (`RangeError` otherwise, `TypeError` for a non-number). */
export function positiveInteger(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TypeError(`Expected '${name}' to be an integer ≥ 1, got ${got(value)}`);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`Expected '${name}' to be an integer ≥ 1, got ${got(value)}`);
  return value;
}

/** `undefined`, or a function (`TypeError` otherwise). */
export function optionalFunction<F>(name: string, value: unknown): F | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'function') throw new TypeError(`Expected '${name}' to be a function, got ${got(value)}`);
  return value as F;
}

/** An options object: `undefined` becomes `{}`, anything not an object is a `TypeError`. */
export function optionsObject(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') throw new TypeError(`Expected ${name} options to be an object, got ${got(value)}`);
  return value as Record<string, unknown>;
}

/** A task: an export name, or a self-contained function sent by its source. */
export function taskRef(task: unknown, name = 'task'): TaskRef {
  if (typeof task === 'string') {
    if (task.length === 0) throw new TypeError(`Expected '${name}' to be an export name or a function, got ''`);
    return task;
  }
  if (typeof task === 'function') {
    const source = Function.prototype.toString.call(task);
    if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
      throw new TypeError(`'${name}' is a native or bound function, which cannot be sent to a worker by its source; export it and pass its name`);
    }
    return { source };
  }
  throw new TypeError(`Expected '${name}' to be an export name or a function, got ${got(task)}`);
}

/** An argument list: an array, or any iterable turned into one. */
export function argumentList(name: string, value: unknown): unknown[] {
  if (value === undefined) return [];
  // The hot path (every apply): an array, as it is.
  if (Array.isArray(value)) return value;
  const list = asArguments(value);
  if (list) return list;
  throw new TypeError(`Expected '${name}' to be an array of arguments, got ${got(value)}`);
}

/** `value` as an argument list (an array, or a non-string iterable read into one), else `undefined`. */
function asArguments(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value !== null && value !== undefined && typeof value !== 'string' && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return Array.from(value as Iterable<unknown>);
  }
  return undefined;
}

/**
 * A starmap's items, each an argument list as `apply`'s `args` is: an array, or an iterable read
 * into one. `TypeError` naming the first that is neither, before anything is sent.
 */
export function argumentLists(items: ArrayLike<unknown>): ArrayLike<unknown> {
  let lists: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (Array.isArray(item) && lists === undefined) continue;
    const list = asArguments(item);
    if (!list) throw new TypeError(`Expected each item of 'iterable' to be an array of arguments, got ${got(item)} at index ${i}`);
    lists ??= Array.prototype.slice.call(items, 0, i);
    lists.push(list);
  }
  return lists ?? items;
}

/**
 * A sync iterable's items, to cut into chunks (`TypeError` if it is not iterable): an array, or a
 * typed array of numbers as it is (chunks are copied out of it directly; `Array.from` read one of
 * 31,250 integers through the iterator in ~1.3 ms), else the items read into an array.
 */
export function materialize(value: unknown): ArrayLike<unknown> {
  if (Array.isArray(value)) return value;
  if (isNumberArray(value)) return value;
  const asyncSource = asyncIterableHint(value);
  if (asyncSource && typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function') throw asyncSource;
  if (value === null || value === undefined || typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`Expected 'iterable' to be iterable, got ${got(value)}`);
  }
  return Array.from(value as Iterable<unknown>);
}

/** A typed array whose items are numbers (not bigints), e.g. a `Float64Array`. */
function isNumberArray(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/** The iterator of a sync or async iterable (`TypeError` if it is neither). */
export function iteratorOf(value: unknown): Iterator<unknown> | AsyncIterator<unknown> {
  const source = value as Partial<AsyncIterable<unknown> & Iterable<unknown>> | null | undefined;
  if (source != null && typeof source[Symbol.asyncIterator] === 'function') return source[Symbol.asyncIterator]!();
  if (source != null && typeof source[Symbol.iterator] === 'function') return source[Symbol.iterator]!();
  throw new TypeError(`Expected 'iterable' to be a sync or async iterable, got ${got(value)}`);
}

/** A `transfer` list: `undefined` or an array of objects (a number or `null` can never be moved). */
export function transferList(value: unknown): readonly unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new TypeError(`Expected 'transfer' to be an array, got ${got(value)}`);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'object' || item === null) {
      throw new TypeError(`Expected each item of 'transfer' to be a transferable object (an ArrayBuffer, a MessagePort), got ${got(item)} at index ${i}`);
    }
  }
  return value;
}

/** `undefined`, or an integer ≥ 0. */
export function nonNegativeInteger(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TypeError(`Expected '${name}' to be an integer ≥ 0, got ${got(value)}`);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`Expected '${name}' to be an integer ≥ 0, got ${got(value)}`);
  return value;
}

/** `undefined`, or milliseconds from 0 to {@link maxTimerMs}. */
export function milliseconds(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TypeError(`Expected '${name}' to be milliseconds ≥ 0, got ${got(value)}`);
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`Expected '${name}' to be milliseconds ≥ 0, got ${got(value)}`);
  if (value > maxTimerMs) throw new RangeError(`Expected '${name}' to be at most ${maxTimerMs} ms (about 24.8 days, the longest a timer waits), got ${value}`);
  return value;
}

/** `undefined`, or something shaped like an `AbortSignal`. */
export function abortSignal(value: unknown): AbortSignalLike | undefined {
  if (value === undefined) return undefined;
  const signal = value as Partial<AbortSignalLike> | null;
  if (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean' ||
    typeof signal.addEventListener !== 'function' || typeof signal.removeEventListener !== 'function') {
    throw new TypeError(`Expected 'signal' to be an AbortSignal, got ${got(value)}`);
  }
  return signal as AbortSignalLike;
}

/**
 * An adapter factory's options, checked as the pool's own are: `undefined` or `null` is `{}`,
 * anything else that is not an object, or a key not in `known`, is a `TypeError` (a typo such as
 * `execArg` must not pass silently). For adapter authors.
 */
export function adapterOptions(adapter: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  const opts = optionsObject(adapter, options);
  checkKeys(adapter, opts, known);
  return opts;
}

/** `undefined`, or an array of strings (`TypeError` otherwise: a string would be spread into letters). For adapter authors. */
export function stringList(name: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new TypeError(`Expected '${name}' to be an array of strings, got ${got(value)}`);
  }
  return value;
}
