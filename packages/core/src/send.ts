/**
 * Sending units to a worker: consecutive units of one task go as one `batch` message (kind and
 * task once, the first id, then arguments); a unit that cannot be cloned fails alone.
 * @module
 */
import { carriesLarge } from './batching.js';
import { DataCloneError } from './errors.js';
import { explainCloneError } from './hints.js';
import type { Call, TaskUnit } from './job.js';
import { TaskKind } from './protocol.js';
import { isLong, isPacked, segment } from './segments.js';
import type { Slot } from './slot.js';
import { movedAway, movedAwayMessage } from './transfer.js';

/**
 * Sends `units` to `slot`, giving each its id there; `failed` gets each unit that could not be
 * sent, with the error that says why. Where values are cloned (`segmenting`), a long chunk goes alone, in segments.
 */
export function sendUnits(slot: Slot, units: TaskUnit[], now: number, segmenting: boolean, failed: (unit: TaskUnit, error: Error) => void): void {
  for (let start = 0; start < units.length;) {
    // Units of one task go together, unless they transfer or carry large arguments (`batching.ts`).
    const { call, args } = units[start]!;
    const segmented = segmenting && call.kind !== TaskKind.Call && !isPacked(args) && isLong(args.length);
    let end = start + 1;
    if (!segmented && !call.transfer && !carriesLarge(args)) while (end < units.length && sameMessage(call, units[end]!.call) && !carriesLarge(units[end]!.args)) end++;
    if (end - start === 1 || !sendBatch(slot, units, start, end, now)) {
      for (let i = start; i < end; i++) sendOne(slot, units[i]!, now, failed, segmented);
    }
    start = end;
  }
}

/**
 * Whether a unit of `next` may ride in `call`'s batch message. The worker needs only the kind and
 * the task; an `apply()`'s options (timeout, signal, retries, onProgress) stay on the pool's side,
 * so applies with options batch too (each has a `Call` of its own; option-free ones of one task
 * share one). A map's chunks already share their call.
 */
function sameMessage(call: Call, next: Call): boolean {
  if (next === call) return true;
  if (call.kind !== TaskKind.Call || next.kind !== TaskKind.Call || next.transfer !== undefined) return false;
  const a = call.task;
  const b = next.task;
  return a === b || (typeof a === 'object' && typeof b === 'object' && a.source === b.source);
}

/** Sends units [start, end) of one task in one message: kind and task once, the first id, then arguments. */
function sendBatch(slot: Slot, units: TaskUnit[], start: number, end: number, now: number): boolean {
  const { kind, task } = units[start]!.call;
  let single = kind === TaskKind.Call;
  const args: unknown[] = [];
  for (let i = start; i < end; i++) {
    const unitArgs = units[i]!.args;
    if (unitArgs.length !== 1) single = false;
    args.push(unitArgs);
  }
  try {
    // Single-argument calls go as a flat list: a fraction of the cloning.
    if (single) for (let i = 0; i < args.length; i++) args[i] = (args[i] as unknown[])[0];
    slot.handle.send({ type: 'batch', id: slot.sent, kind, task, args, single });
  } catch {
    // One unit cannot be sent: the caller sends them one by one, so that it alone fails.
    return false;
  }
  for (let i = start; i < end; i++) slot.hold(units[i]!, now);
  return true;
}

function sendOne(slot: Slot, unit: TaskUnit, now: number, failed: (unit: TaskUnit, error: Error) => void, segmented = false): void {
  const { kind, task, transfer } = unit.call;
  // Some runtimes send a moved buffer again without a word, and it arrives empty.
  if (movedAway(transfer)) {
    failed(unit, new DataCloneError(movedAwayMessage));
    return;
  }
  try {
    const id = slot.sent;
    // `sendUnits` never segments packed items.
    slot.handle.send(segmented ? { type: 'task', id, kind, task, args: segment(unit.args as readonly unknown[]), segmented } : { type: 'task', id, kind, task, args: unit.args }, transfer);
    slot.hold(unit, now);
  } catch (error) {
    failed(unit, explainCloneError(asCloneError(error), unit.args, kind !== TaskKind.Call));
  }
}

/** A failed send is the caller's value's fault: a clone failure, or (kept as is) a bad transfer list. */
export function asCloneError(error: unknown): Error {
  if (error instanceof DataCloneError || error instanceof TypeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DataCloneError(message, { cause: error });
}
