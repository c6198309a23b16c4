/**
 * How messages cross the IPC channel, both ways. The channel is Node's `'advanced'` one (V8's
 * serializer), which carries what threads carry: Map, Set, Date, BigInt, typed arrays, errors,
 * `undefined`, `-0`, sparse arrays, shared and cyclic references. But it builds every object it
 * receives property by property, which costs more than `JSON.parse` builds the same object. So a
 * message that JSON carries exactly ({@link isPlain}: most of the pool's messages) crosses as
 * one JSON string; any other crosses as it is, typed arrays as blocks of bytes. Measured against
 * objects on the same channel (bench/README.md, "Processes: plain messages as JSON").
 * @module
 */
import type { PackedNumbers } from '@pool/core';

/**
 * What to send for `message`: its JSON text where JSON carries it exactly; else, where it holds
 * a large typed array, the message behind that array placed for a view ({@link alignedFor});
 * else itself. The pool's messages are objects, so a string on the channel is always such a
 * text, and an array always the aligned form.
 */
export function encode(message: object): object | string {
  if (isPlain(message)) return JSON.stringify(message);
  const view = largeView(message);
  return view ? alignedFor(view, message) : message;
}

/** What was sent. Throws for a string that is not JSON (a task's own `process.send()`). */
export function decode(message: unknown): unknown {
  if (typeof message === 'string') return JSON.parse(message);
  // The aligned form: [padding, view, message]. The message holds the view itself, as V8's
  // serializer writes an object met twice once and then refers to it.
  if (Array.isArray(message) && message.length === 3 && typeof message[0] === 'string' && ArrayBuffer.isView(message[1])) return message[2];
  return message;
}

/**
 * Bytes from which a typed array in a message is placed for a view: a packed chunk of a map
 * (125,000 integers in W4) is 500 KB; copying one out of the received bytes was ~3 ms of the
 * host's time.
 */
const alignFrom = 4096;

/**
 * Bytes before a typed array's length in Node's IPC frame of `['', view, …]`: 4 of frame length,
 * V8's 2-byte header, the array's tag and length, the empty string's tag and length, the host
 * object's tag, Node's marker for a view and its type; then come the length's varint and the
 * bytes. The same on Node 20, 22 and 24; the unit test checks it on the Node that runs it.
 */
const viewHead = 13;

/**
 * `message` as `[padding, view, message]`, with as many characters of padding as put the view's
 * bytes at an offset its element size divides in the buffer the receiver reads. Node's
 * deserializer then hands out a view of those bytes instead of copying them (its
 * `_readHostObject`), where the message was read in pieces and joined (a large one always is);
 * at any other offset, or on another runtime, it copies them, as it did.
 */
export function alignedFor(view: PackedNumbers, message: object): [string, PackedNumbers, object] {
  const size = view.BYTES_PER_ELEMENT;
  const at = viewHead + varintLength(view.byteLength);
  return [' '.repeat((size - (at % size)) % size), view, message];
}

/** Bytes V8 writes `n` in as a base-128 varint. */
function varintLength(n: number): number {
  let bytes = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    bytes++;
  }
  return bytes;
}

/**
 * A map chunk's numbers packed by core (`PackedNumbers`) of at least {@link alignFrom} bytes: a
 * unit's `args` (only packed items are not an array) or a chunk's answer in one packed part
 * (`value: [packed]`, `segmented`). Core copies them into the caller's arrays, so no caller sees
 * a view of a larger buffer; a task's own values, typed arrays included, cross as they always did.
 */
function largeView(message: object): PackedNumbers | undefined {
  const { type, args, value, segmented } = message as { type?: unknown; args?: unknown; value?: unknown; segmented?: unknown };
  const packed = type === 'task' ? args : type === 'ok' && segmented === true && Array.isArray(value) && value.length === 1 ? value[0] : undefined;
  return (packed instanceof Int32Array || packed instanceof Float64Array) && packed.byteLength >= alignFrom ? packed : undefined;
}

/**
 * Characters of string values from which a message goes as it is: V8's serializer copies a
 * string as a block, where JSON scans it on both sides (a 16 KB string's round trip took ~1.4×,
 * a 1 MB one's 2×, as JSON).
 */
const stringBudget = 8192;
let stringsLeft = 0;
/**
 * Array items and object properties from which a message goes as it is: JSON text pays for small
 * and middling values, V8's serializer for large ones (round trips of an array of integers: 1,000
 * ~0.35× as JSON text, 4,000 ~0.8×, 16,000 ~1.1×, 64,000 ~1.4×).
 */
const itemBudget = 4096;
let itemsLeft = 0;
/**
 * Numbers that are not integers from which a message goes as it is: JSON writes and reads each
 * as decimal text (1,000 doubles' round trip took ~1.7× as JSON text; a tiny message's saving
 * as text covers some tens of them).
 */
const fractionBudget = 64;
let fractionsLeft = 0;

/**
 * Whether JSON carries `message` exactly, and is the cheaper way. Its own properties that are
 * `undefined` count as absent (it is one of the pool's protocol objects, read by name); below
 * it, values must be strings (up to {@link stringBudget} characters in all), booleans, `null`,
 * finite numbers other than `-0`, dense arrays with no other own properties, and objects whose
 * prototype is `Object.prototype` or `null`, each met once, with at most {@link itemBudget}
 * items and properties and {@link fractionBudget} numbers that are not integers in all. A proxy of such an object passes as
 * what it shows (the advanced channel refused proxies).
 */
export function isPlain(message: object): boolean {
  stringsLeft = stringBudget;
  itemsLeft = itemBudget;
  fractionsLeft = fractionBudget;
  try {
    for (const key of Object.keys(message)) {
      const value = (message as Record<string, unknown>)[key];
      if (value !== undefined && !plainValue(value)) return false;
    }
    return true;
  } catch {
    return false; // nested too deep for the stack, or a getter that throws: V8's serializer decides
  } finally {
    first = seen = undefined; // they hold the message's objects
  }
}

/**
 * The objects met so far: the first alone, then a set from the second on. Most messages (an
 * answer of a number, a call's or a batch's one array of numbers and strings) hold one object
 * or none, and each message sent is then one allocation less for the young generation of a
 * child that has ~1 MB of it to start with.
 */
let first: object | undefined;
let seen: Set<object> | undefined;

function plainValue(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      stringsLeft -= value.length;
      return stringsLeft >= 0;
    case 'boolean':
      return true;
    case 'number':
      return plainNumber(value);
    case 'object':
      return value === null || plainObject(value);
    default:
      return false; // undefined, bigint, symbol, function
  }
}

function plainNumber(value: number): boolean {
  if (value === (value | 0)) return value !== 0 || 1 / value > 0; // a 32-bit integer; and not -0
  if (value - value !== 0) return false; // NaN, ±Infinity
  return Math.trunc(value) === value || --fractionsLeft >= 0;
}

function plainObject(value: object): boolean {
  // A second meeting is a shared reference (JSON would copy it) or a cycle (JSON would throw).
  if (first === undefined) first = value;
  else if (value === first || seen?.has(value)) return false;
  else (seen ??= new Set()).add(value);
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    const length = value.length;
    itemsLeft -= length;
    if (itemsLeft < 0) return false;
    for (let i = 0; i < length; i++) {
      const item: unknown = value[i]; // a hole reads as undefined, and is refused
      if (typeof item === 'number' ? !plainNumber(item) : !plainValue(item)) return false;
    }
    // Named properties (a regular expression match's `index`, `input`, `groups`) JSON would drop.
    return Object.keys(value).length === length;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(value);
  itemsLeft -= keys.length;
  if (itemsLeft < 0) return false;
  for (const key of keys) {
    if (!plainValue((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}
