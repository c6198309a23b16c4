// Tasks for calls-per-apply.mjs: `inc`, and a precise-coverage session opened inside the worker
// (started by one task, read by another: the coverage of the worker's own isolate).
import { Session } from 'node:inspector/promises';

export const inc = (x) => x + 1;

let session;

export async function startCoverage() {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  return true;
}

/** The counts since `startCoverage` (its own tail and this call's start included: one unit's worth). */
export async function takeCoverage() {
  return (await session.post('Profiler.takePreciseCoverage')).result;
}
