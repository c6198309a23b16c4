/**
 * Carrying a thrown value across the channel with fidelity: name, message, the worker's stack,
 * own data properties, the `cause` chain and `AggregateError.errors`, with built-in classes and
 * the pool's own errors rebuilt as themselves.
 * @module
 */
import {
  AbortError, BrokenPoolError, DataCloneError, MaybeEncodingError, PoolStateError, QueueFullError, TaskNotFoundError,
  TerminatedError, TimeoutError, WorkerExitError,
} from './errors.js';

/** A thrown value in a form any structured clone can carry. */
export type SerializedError =
  | {
      readonly kind: 'error';
      /** Which constructor to rebuild with: the nearest class the sender knows (a key of the registry below), else `Error`. */
      readonly ctor: string;
      /**
       * The thrown class's own name, when the sender has not registered it: a receiver that has
       * ({@link registerError}) rebuilds it as that class.
       */
      readonly own?: string;
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
      readonly props: Record<string, unknown>;
      readonly cause?: SerializedError;
      readonly errors?: readonly SerializedError[];
    }
  /** A thrown non-Error value, carried as itself. */
  | { readonly kind: 'value'; readonly value: unknown }
  /** Same-thread channels (`inline()`): the thrown value by reference. */
  | { readonly kind: 'raw'; readonly value: unknown };

/** A class of errors that `registerError` can revive: any subclass of `Error`. */
export type ErrorClass = new (...args: never[]) => Error;

const classes: Record<string, ErrorClass> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError,
  MaybeEncodingError, WorkerExitError, BrokenPoolError, TerminatedError, PoolStateError,
  TimeoutError, TaskNotFoundError, DataCloneError, AbortError, QueueFullError,
};
const builtIn = new Set(Object.keys(classes));

/** The name each class was registered under, which may not be its own (a minifier's `t`). */
const registeredNames = new WeakMap<object, string>();

/**
 * Registers an error class so that a task's error of that class comes back as an instance of it,
 * with its own fields (the receiving side rebuilds it without running its constructor). Call
 * it on both sides — in the pool's process and in the task module — with the same class (or
 * classes of the same name). Returns the class, so a module can register as it exports.
 * @throws TypeError if `ErrorClass` is not a subclass of `Error`, or `name` is a built-in class's.
 * Another class registered under the same name before is replaced: the newest wins.
 */
export function registerError<C extends ErrorClass>(ErrorClass: C, name: string = ErrorClass?.name): C {
  if (typeof ErrorClass !== 'function' || !(ErrorClass.prototype instanceof Error)) {
    throw new TypeError(`Expected 'ErrorClass' to be a subclass of Error, got ${describe(ErrorClass)}`);
  }
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`Expected the error class to have a name, got ${describe(name)}`);
  const known = Object.hasOwn(classes, name) ? classes[name] : undefined;
  if (known === ErrorClass) return ErrorClass;
  if (builtIn.has(name)) throw new TypeError(`'${name}' is a built-in error class; it needs no registering`);
  // A module loaded twice (a new worker realm, a test reloading it) registers a new class of
  // the same name: the newest wins.
  classes[name] = ErrorClass;
  registeredNames.set(ErrorClass, name);
  return ErrorClass;
}

const skipped = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/**
 * On an error revived without its class (the receiver has not registered it): the class's name.
 * A relay — a queue host's local pool — serializes it again with that name as `own`, so the
 * class survives a second trip to a receiver that has registered it.
 */
const unrevived: unique symbol = Symbol('@pool/unrevived-class');

const structuredCloneFn = (globalThis as { structuredClone?: (value: unknown) => unknown }).structuredClone;

/** Whether `value` survives a structured clone (assumed when the runtime has no `structuredClone`). */
export function isCloneable(value: unknown): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return typeof value !== 'symbol';
  if (!structuredCloneFn) return true;
  try {
    structuredCloneFn(value);
    return true;
  } catch {
    return false;
  }
}

/** The nearest known class on `error`'s prototype chain, and its own class's name if that is not known. */
function constructorNames(error: Error): { ctor: string; own?: string } {
  let own = Object.hasOwn(error, unrevived) ? (error as { [unrevived]?: string })[unrevived] : undefined;
  for (let proto = Object.getPrototypeOf(error); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, 'constructor') ? proto.constructor : undefined;
    const registered = typeof ctor === 'function' ? registeredNames.get(ctor) : undefined;
    if (registered !== undefined && classes[registered] === ctor) return own === undefined ? { ctor: registered } : { ctor: registered, own };
    const name = (ctor as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string') continue;
    if (Object.hasOwn(classes, name) && proto === classes[name]!.prototype) return own === undefined ? { ctor: name } : { ctor: name, own };
    own ??= name;
  }
  return { ctor: 'Error' };
}

/**
 * Turns a thrown value into plain data. Own properties that cannot be cloned are dropped and
 * listed in `props.unserializableProperties`, rather than losing the whole error.
 */
export function serializeError(thrown: unknown, depth = 0): SerializedError {
  if (!(thrown instanceof Error) && !isErrorLike(thrown)) {
    if (isCloneable(thrown)) return { kind: 'value', value: thrown };
    return serializeError(new DataCloneError(`Thrown value could not be cloned: ${describe(thrown)}`), depth);
  }
  const error = thrown as Error & { cause?: unknown; errors?: unknown };
  const props: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const key of Object.getOwnPropertyNames(error)) {
    if (skipped.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (!descriptor || !('value' in descriptor)) continue;
    if (isCloneable(descriptor.value)) props[key] = descriptor.value;
    else dropped.push(key);
  }
  if (dropped.length > 0) props['unserializableProperties'] = dropped;
  const deeper = depth < 16;
  return {
    kind: 'error',
    ...constructorNames(error),
    name: String(error.name),
    message: String(error.message),
    stack: typeof error.stack === 'string' ? error.stack : undefined,
    props,
    ...(deeper && Object.hasOwn(error, 'cause') ? { cause: serializeError(error.cause, depth + 1) } : {}),
    ...(deeper && Array.isArray(error.errors) ? { errors: error.errors.map((e) => serializeError(e, depth + 1)) } : {}),
  };
}

/** Rebuilds what {@link serializeError} made, as an instance of the original's class where known. */
export function deserializeError(data: SerializedError): unknown {
  if (data.kind !== 'error') return data.value;
  const Class = (data.own !== undefined && Object.hasOwn(classes, data.own) ? classes[data.own] : undefined) ??
    (Object.hasOwn(classes, data.ctor) ? classes[data.ctor]! : Error);
  const cause = data.cause ? { cause: deserializeError(data.cause) } : undefined;
  // Reflect.construct keeps a real native error (util.inspect, Error.isError) with the right prototype.
  const error: Error = Class === AggregateError
    ? Reflect.construct(AggregateError, [(data.errors ?? []).map(deserializeError), data.message, cause])
    : Reflect.construct(Error, [data.message, cause], Class);
  const wanted = data.own ?? data.ctor;
  // Not revived as its own class here: remember which it was, for a relay's second trip.
  if (!Object.hasOwn(classes, wanted) || Class !== classes[wanted]) define(error, unrevived, wanted);
  if (error.name !== data.name) define(error, 'name', data.name);
  define(error, 'stack', data.stack ?? `${data.name}: ${data.message}`);
  for (const [key, value] of Object.entries(data.props)) {
    Object.defineProperty(error, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return error;
}

/** Short text for a value in error messages: bounded, never throws. */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'function'
      ? `[function ${value.name || 'anonymous'}]`
      : typeof value === 'symbol' ? value.toString() : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function define(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
}

// Errors from another realm (a vm context, a DOMException in some runtimes) fail instanceof.
function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Error]';
}
