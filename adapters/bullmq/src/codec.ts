/**
 * Values across machines: msgpackr in its structured-clone mode (Map, Set, Date, BigInt, typed
 * arrays, RegExp, errors with `cause`, cycles), behind a round-trip check. Every value is
 * decoded again and compared with the original: it either arrives equal or is refused, with the
 * path of what would have changed. Nothing is ever silently altered.
 * @module
 */
import { Packr } from 'msgpackr';

const packr = new Packr({ structuredClone: true });

/** A value the codec refuses, with why (`reason`) and where (`path`, e.g. `args[0].list[2]`). */
export class CodecError extends Error {
  constructor(readonly reason: string, readonly path: string) {
    super(`${path || 'value'}: ${reason}`);
  }
}

/** Encodes `value`; throws {@link CodecError} unless it decodes equal. */
export function encode(value: unknown, root = ''): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = packr.pack(value);
  } catch (error) {
    throw new CodecError(error instanceof Error ? error.message : String(error), root);
  }
  const why = differs(value, packr.unpack(bytes), root, new Map());
  if (why) throw why;
  return bytes;
}

/** Decodes what {@link encode} made. Throws on malformed input. */
export function decode(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

const tag = (value: object): string => Object.prototype.toString.call(value);

/** Why `b` (decoded) is not `a` (the original), or `undefined` if it is equal to it. */
function differs(a: unknown, b: unknown, path: string, seen: Map<object, unknown>): CodecError | undefined {
  if (typeof a !== 'object' || a === null) {
    if (typeof a === 'function') return new CodecError('a function cannot be sent', path);
    if (typeof a === 'symbol') return new CodecError('a symbol cannot be sent', path);
    if (Object.is(a, b)) return undefined;
    if (typeof a === 'number' && Object.is(a, -0)) return new CodecError('-0 would arrive as 0', path);
    return new CodecError(`${typeof a} would arrive as ${typeof b}`, path);
  }
  if (typeof b !== 'object' || b === null) return new CodecError(`${tag(a)} would arrive as ${String(b)}`, path);
  if (seen.has(a)) return seen.get(a) === b ? undefined : new CodecError('a shared reference would be split', path);
  seen.set(a, b);
  const kind = tag(a);
  if (kind !== tag(b)) return new CodecError(`${kind} would arrive as ${tag(b)}`, path);
  if (Array.isArray(a)) {
    const list = b as unknown[];
    if (a.length !== list.length) return new CodecError('array length would change', path);
    for (let i = 0; i < a.length; i++) {
      if (!(i in a)) return new CodecError('a sparse array would be filled in', `${path}[${i}]`);
      const why = differs(a[i], list[i], `${path}[${i}]`, seen);
      if (why) return why;
    }
    return undefined;
  }
  switch (kind) {
    case '[object Date]':
      return Object.is((a as Date).getTime(), (b as Date).getTime()) ? undefined : new CodecError('date would change', path);
    case '[object RegExp]':
      return String(a) === String(b) ? undefined : new CodecError('regular expression would change', path);
    case '[object Map]': {
      const x = [...(a as Map<unknown, unknown>)];
      const y = [...(b as Map<unknown, unknown>)];
      if (x.length !== y.length) return new CodecError('map size would change', path);
      for (let i = 0; i < x.length; i++) {
        const why = differs(x[i]![0], y[i]![0], `${path}<key ${i}>`, seen) ?? differs(x[i]![1], y[i]![1], `${path}<value ${i}>`, seen);
        if (why) return why;
      }
      return undefined;
    }
    case '[object Set]': {
      const x = [...(a as Set<unknown>)];
      const y = [...(b as Set<unknown>)];
      if (x.length !== y.length) return new CodecError('set size would change', path);
      for (let i = 0; i < x.length; i++) {
        const why = differs(x[i], y[i], `${path}<item ${i}>`, seen);
        if (why) return why;
      }
      return undefined;
    }
    case '[object ArrayBuffer]':
      return sameBytes(new Uint8Array(a as ArrayBuffer), new Uint8Array(b as ArrayBuffer)) ? undefined : new CodecError('bytes would change', path);
    case '[object Error]':
      return errorDiffers(a as Error, b as Error, path, seen);
  }
  if (ArrayBuffer.isView(a)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = b as ArrayBufferView;
    if (a.constructor.name !== y.constructor.name && !(y.constructor.name === 'Buffer' && a.constructor.name === 'Uint8Array')) {
      return new CodecError(`${a.constructor.name} would arrive as ${y.constructor.name}`, path);
    }
    return sameBytes(x, new Uint8Array(y.buffer, y.byteOffset, y.byteLength)) ? undefined : new CodecError('bytes would change', path);
  }
  if (kind !== '[object Object]') return new CodecError(`${kind} cannot be sent`, path);
  return propsDiffer(a as Record<string, unknown>, b as Record<string, unknown>, path, seen, new Set());
}

function propsDiffer(
  a: Record<string, unknown>, b: Record<string, unknown>, path: string, seen: Map<object, unknown>, skip: Set<string>,
): CodecError | undefined {
  const keys = Object.keys(a).filter((k) => !skip.has(k));
  if (keys.length !== Object.keys(b).filter((k) => !skip.has(k)).length) return new CodecError('object keys would change', path);
  for (const key of keys) {
    if (!Object.hasOwn(b, key)) return new CodecError(`property '${key}' would be lost`, path);
    const why = differs(a[key], b[key], `${path}.${key}`, seen);
    if (why) return why;
  }
  return undefined;
}

function errorDiffers(a: Error, b: Error, path: string, seen: Map<object, unknown>): CodecError | undefined {
  if (a.name !== b.name || a.message !== b.message) return new CodecError('error name or message would change', path);
  const cause = Object.hasOwn(a, 'cause') ? differs(a.cause, b.cause, `${path}.cause`, seen) : undefined;
  if (cause) return cause;
  // The error's own data (a status, a code) would be lost on the way: refuse rather than drop it.
  return propsDiffer(a as never, b as never, path, seen, new Set(['stack', 'message', 'cause', 'name']));
}

function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
