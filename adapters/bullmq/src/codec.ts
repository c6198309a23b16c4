/**
 * Values across machines: msgpackr in its structured-clone mode (Map, Set, Date, BigInt, typed
 * arrays, RegExp, errors with `cause`, cycles), behind a round-trip check. Every value is
 * decoded again and compared with the original: it either arrives equal or is refused, with the
 * path of what would have changed. Nothing is ever silently altered.
 * @module
 */
import { addExtension, Packr } from 'msgpackr';

const packr = new Packr({ structuredClone: true });

/**
 * Where a -0 stands in a value, for msgpackr: it writes -0 as the integer 0 (`-0 >>> 0 === -0`),
 * so a value that holds one is packed again with each -0 as one of these, an extension of its
 * own (`-`, 0x2d, no bytes) that reads back as -0. `Math.round(-0.4)` is -0: a map that rounds
 * must not fail for it. Both sides load this module, so both know the extension.
 */
class NegativeZero {}
const NEGATIVE_ZERO = 0x2d;
const NO_BYTES = new Uint8Array(0);
addExtension({ Class: NegativeZero, type: NEGATIVE_ZERO, pack: () => NO_BYTES, unpack: () => -0 });
const negativeZeroReason = '-0 would arrive as 0';

/** A value the codec refuses, with why (`reason`) and where (`path`, e.g. `args[0].list[2]`). */
export class CodecError extends Error {
  constructor(readonly reason: string, readonly path: string) {
    super(`${path || 'value'}: ${reason}`);
  }
}

/** Encodes `value`; throws {@link CodecError} unless it decodes equal. */
export function encode(value: unknown, root = ''): Uint8Array {
  let bytes = pack(value, root);
  let why = differs(value, packr.unpack(bytes), root, new Map());
  // Rare, so the common path pays nothing for it: only a value the check finds a -0 in is copied.
  if (why?.reason === negativeZeroReason) {
    bytes = pack(markNegativeZeros(value, new Map()), root);
    why = differs(value, packr.unpack(bytes), root, new Map());
  }
  if (why) throw why;
  return bytes;
}

function pack(value: unknown, root: string): Uint8Array {
  try {
    return packr.pack(value);
  } catch (error) {
    throw new CodecError(error instanceof Error ? error.message : String(error), root);
  }
}

/**
 * A copy of `value`'s arrays, plain objects, maps and sets, each -0 in them a {@link NegativeZero}
 * (shared references and cycles kept: `copies` maps each original to its copy). Anything else is
 * kept as it is, for the check to judge as before.
 */
function markNegativeZeros(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? new NegativeZero() : value;
  if (typeof value !== 'object' || value === null) return value;
  if (copies.has(value)) return copies.get(value);
  const kind = tag(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    copy.length = value.length;
    for (let i = 0; i < value.length; i++) if (i in value) copy[i] = markNegativeZeros(value[i], copies);
    return copy;
  }
  if (kind === '[object Map]') {
    const copy = new Map<unknown, unknown>();
    copies.set(value, copy);
    for (const [key, item] of value as Map<unknown, unknown>) copy.set(markNegativeZeros(key, copies), markNegativeZeros(item, copies));
    return copy;
  }
  if (kind === '[object Set]') {
    const copy = new Set<unknown>();
    copies.set(value, copy);
    for (const item of value as Set<unknown>) copy.add(markNegativeZeros(item, copies));
    return copy;
  }
  if (kind !== '[object Object]' || ArrayBuffer.isView(value)) return value;
  const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null);
  copies.set(value, copy);
  for (const key of Object.keys(value)) copy[key] = markNegativeZeros((value as Record<string, unknown>)[key], copies);
  return copy;
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
    if (typeof a === 'number' && Object.is(a, -0)) return new CodecError(negativeZeroReason, path);
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
