// The task module of the service examples: every export is a task.
import { progress, registerError, signal } from '@pool/core/worker';

/** CPU work standing in for a request's real job. */
export function checksum(size) {
  let sum = 0;
  for (let i = 0; i < size; i++) sum = (sum * 31 + i) >>> 0;
  return sum;
}

/** A task's own error class: registered here and in the caller, it crosses as itself. */
export class UpstreamError extends Error {
  constructor(status) {
    super(`upstream answered ${status}`);
    this.name = 'UpstreamError';
    this.status = status;
  }
}
registerError(UpstreamError);

export function callUpstream(status) {
  if (status >= 500) throw new UpstreamError(status);
  return status;
}

/** Reports its progress to the caller's onProgress. */
export function importRows(rows) {
  for (let row = 1; row <= rows; row++) {
    if (row % 250 === 0) progress({ row, of: rows });
  }
  return rows;
}

/** A slow query that stops as soon as its call is cancelled. */
export async function slowQuery(ms) {
  const cancelled = signal();
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    cancelled.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
  return cancelled.aborted ? 'stopped early' : 'done';
}

const cache = [];
/** Grows this worker's heap by about `mb` MB, as a leaky library would. */
export function leak(mb) {
  for (let i = 0; i < mb; i++) cache.push(new Array(131072).fill(i + 0.5));
  return cache.length;
}
