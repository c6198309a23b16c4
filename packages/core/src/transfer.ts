/**
 * `transfer` unit by unit. A `map`'s chunks each go in a message of their own: given the whole
 * list, the first chunk's message would move every buffer in it, and the chunks after it would
 * reach their tasks holding empty buffers. So each chunk moves only the listed objects its own
 * items reach. And a buffer moved once is gone from this side: a unit that would send it again
 * (sent again after its worker died) must fail, not run on an empty buffer.
 * @module
 */
import type { Call } from './job.js';

/** `call` for a chunk of `items`: its transfer list cut to the objects the items reach (none: no list). */
export function chunkCall(call: Call, items: unknown): Call {
  const wanted = call.transfer;
  if (!wanted || wanted.length === 0) return call;
  const reached = reachedFrom(new Set(wanted), items);
  return { ...call, transfer: reached.length > 0 ? reached : undefined };
}

/** Which of `wanted` `value` reaches: through arrays, maps, sets, views and objects' own values. */
function reachedFrom(wanted: Set<unknown>, value: unknown): unknown[] {
  const found = new Set<unknown>();
  const seen = new Set<object>();
  const stack = [value];
  while (stack.length > 0 && found.size < wanted.size) {
    const next = stack.pop();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    if (wanted.has(next)) found.add(next);
    if (ArrayBuffer.isView(next)) {
      if (wanted.has(next.buffer)) found.add(next.buffer);
    } else if (next instanceof Map) {
      for (const [key, item] of next) stack.push(key, item);
    } else if (next instanceof Set || Array.isArray(next)) {
      for (const item of next) stack.push(item);
    } else if (!(next instanceof ArrayBuffer)) {
      for (const key of Object.keys(next)) stack.push((next as Record<string, unknown>)[key]);
    }
  }
  return [...found];
}

/** Why a unit that would send a moved buffer again fails (`DataCloneError`), as it is: no hint about cloning fits. */
export const movedAwayMessage =
  "An ArrayBuffer in 'transfer' was moved away already (by an earlier call, or an earlier chunk of this one, that transferred it): it cannot be sent again";

/** Whether a transfer list holds an `ArrayBuffer` moved away already (detached). */
export function movedAway(transfer: readonly unknown[] | undefined): boolean {
  return transfer?.some(isDetached) === true;
}

function isDetached(value: unknown): boolean {
  if (!(value instanceof ArrayBuffer)) return false;
  const detached = (value as { detached?: boolean }).detached;
  if (detached !== undefined) return detached;
  // Before `detached` (Node 20): only a detached buffer refuses to be sliced.
  try {
    value.slice(0, 0);
    return false;
  } catch {
    return true;
  }
}
