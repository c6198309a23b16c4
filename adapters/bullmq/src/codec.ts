/**
 * Values across machines: msgpackr in its structured-clone mode (Map, Set, Date, BigInt, typed
 * arrays, RegExp, errors with `cause`, cycles), behind a round-trip check. Every value is
 * decoded again and compared with the original: it either arrives equal or is refused, with the
 * path of what would have changed. Nothing is ever silently altered.
 * @module
 */
import { Buffer } from 'node:buffer';
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
  let why = differs(value, packr.unpack(bytes), new Map());
  // Rare, so the common path pays nothing for it: only a value the check finds a -0 in is copied.
  if (why?.reason === negativeZeroReason) {
    bytes = pack(markNegativeZeros(value, new Map()), root);
    why = differs(value, packr.unpack(bytes), new Map());
  }
  if (why) throw why.error(root);
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
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    copy.length = value.length;
    for (let i = 0; i < value.length; i++) if (i in value) copy[i] = markNegativeZeros(value[i], copies);
    return copy;
  }
  const kind = tag(value);
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
  if (kind !== '[object Object]') return value; // typed arrays and buffers carry -0 in their bytes
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

/**
 * A difference the check found: why, and where, as the steps from the root read backwards (each
 * level adds its own on the way out). Paths are made only for a value that is refused: a check
 * that built one per item spent most of its time on them.
 */
class Mismatch {
  readonly steps: string[] = [];
  constructor(readonly reason: string) {}
  /** This mismatch, one level further out (`step` such as `[3]` or `.name`). */
  at(step: string): this {
    this.steps.push(step);
    return this;
  }
  error(root: string): CodecError {
    const path = this.steps.reverse().join('');
    // Without a root, a path into an object starts at its property: `args[0]`, not `.args[0]`.
    return new CodecError(this.reason, root === '' ? path.replace(/^\./, '') : root + path);
  }
}

/**
 * An array's first named property (a match's `index`, a template's `raw`, `list.total = 3`), if it
 * has one. msgpack writes an array's items alone, so these would be lost; structured clone keeps
 * them. A dense array has exactly `length` index keys and they come first, so the first key past
 * them is the first name. Listing the keys names every index too (~45 ns an item here): long
 * chunks of numbers do not pay it, since they cross packed (`packFrom` in `wire.ts`).
 */
function namedProperty(list: readonly unknown[]): string | undefined {
  const keys = Object.keys(list);
  return keys.length > list.length ? keys[list.length] : undefined;
}

/** Why `b` (decoded) is not `a` (the original), or `undefined` if it is equal to it. */
function differs(a: unknown, b: unknown, seen: Map<object, unknown>): Mismatch | undefined {
  if (typeof a !== 'object' || a === null) {
    if (Object.is(a, b)) return undefined;
    if (typeof a === 'function') return new Mismatch('a function cannot be sent');
    if (typeof a === 'symbol') return new Mismatch('a symbol cannot be sent');
    if (typeof a === 'number' && Object.is(a, -0)) return new Mismatch(negativeZeroReason);
    // UTF-8 has no lone surrogate: one becomes U+FFFD on the way.
    if (typeof a === 'string' && typeof b === 'string') return new Mismatch('a string with a lone surrogate (half a UTF-16 pair) would arrive altered');
    return new Mismatch(`${typeof a} would arrive as ${typeof b}`);
  }
  if (typeof b !== 'object' || b === null) return new Mismatch(`${tag(a)} would arrive as ${String(b)}`);
  if (seen.has(a)) return seen.get(a) === b ? undefined : new Mismatch('a shared reference would be split');
  seen.set(a, b);
  const kind = tag(a);
  if (kind !== tag(b)) return new Mismatch(`${kind} would arrive as ${tag(b)}`);
  if (Array.isArray(a)) {
    const list = b as unknown[];
    if (a.length !== list.length) return new Mismatch('array length would change');
    for (let i = 0; i < a.length; i++) {
      if (!(i in a)) return new Mismatch('a sparse array would be filled in').at(`[${i}]`);
      const why = differs(a[i], list[i], seen);
      if (why) return why.at(`[${i}]`);
    }
    // Checked after the items: only a dense array's keys are its indices and then its names.
    const name = namedProperty(a);
    return name === undefined ? undefined : new Mismatch(`an array's '${name}' property would be lost`);
  }
  switch (kind) {
    case '[object Date]':
      return Object.is((a as Date).getTime(), (b as Date).getTime()) ? undefined : new Mismatch('date would change');
    case '[object RegExp]':
      return String(a) === String(b) ? undefined : new Mismatch('regular expression would change');
    case '[object Map]': {
      const x = [...(a as Map<unknown, unknown>)];
      const y = [...(b as Map<unknown, unknown>)];
      if (x.length !== y.length) return new Mismatch('map size would change');
      for (let i = 0; i < x.length; i++) {
        const key = differs(x[i]![0], y[i]![0], seen);
        if (key) return key.at(`<key ${i}>`);
        const value = differs(x[i]![1], y[i]![1], seen);
        if (value) return value.at(`<value ${i}>`);
      }
      return undefined;
    }
    case '[object Set]': {
      const x = [...(a as Set<unknown>)];
      const y = [...(b as Set<unknown>)];
      if (x.length !== y.length) return new Mismatch('set size would change');
      for (let i = 0; i < x.length; i++) {
        const why = differs(x[i], y[i], seen);
        if (why) return why.at(`<item ${i}>`);
      }
      return undefined;
    }
    case '[object ArrayBuffer]':
      if ((a as { resizable?: boolean }).resizable && !(b as { resizable?: boolean }).resizable) return new Mismatch('a resizable ArrayBuffer would arrive fixed in size');
      return sameBytes(new Uint8Array(a as ArrayBuffer), new Uint8Array(b as ArrayBuffer)) ? undefined : new Mismatch('bytes would change');
    case '[object Error]':
      return errorDiffers(a as Error, b as Error, seen);
  }
  if (ArrayBuffer.isView(a)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = b as ArrayBufferView;
    if (a.constructor.name !== y.constructor.name && !(y.constructor.name === 'Buffer' && a.constructor.name === 'Uint8Array')) {
      return new Mismatch(`${a.constructor.name} would arrive as ${y.constructor.name}`);
    }
    return sameBytes(x, new Uint8Array(y.buffer, y.byteOffset, y.byteLength)) ? undefined : new Mismatch('bytes would change');
  }
  if (kind !== '[object Object]') return new Mismatch(`${kind} cannot be sent`);
  return propsDiffer(a as Record<string, unknown>, b as Record<string, unknown>, Object.keys(a), Object.keys(b).length, seen);
}

/** Whether `b` has `a`'s properties `keys` (and `count` in all), each equal. */
function propsDiffer(
  a: Record<string, unknown>, b: Record<string, unknown>, keys: readonly string[], count: number, seen: Map<object, unknown>,
): Mismatch | undefined {
  if (keys.length !== count) return new Mismatch('object keys would change');
  for (const key of keys) {
    if (!Object.hasOwn(b, key)) return new Mismatch(`property '${key}' would be lost`);
    const why = differs(a[key], b[key], seen);
    if (why) return why.at(`.${key}`);
  }
  return undefined;
}

/** An error's own fields that msgpackr carries as such, not as data properties. */
const errorFields = new Set(['stack', 'message', 'cause', 'name']);
const errorData = (error: Error): string[] => Object.keys(error).filter((key) => !errorFields.has(key));

function errorDiffers(a: Error, b: Error, seen: Map<object, unknown>): Mismatch | undefined {
  if (a.name !== b.name || a.message !== b.message) return new Mismatch('error name or message would change');
  if (Object.hasOwn(a, 'cause')) {
    const cause = differs(a.cause, b.cause, seen);
    if (cause) return cause.at('.cause');
  }
  // The error's own data (a status, a code) would be lost on the way: refuse rather than drop it.
  return propsDiffer(a as never, b as never, errorData(a), errorData(b).length, seen);
}

/** Whether two byte ranges are equal: by Buffer's native compare (a loop here took ~1 ms a MB: a packed chunk's whole check). */
function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  return x.length === y.length && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
}
