/**
 * The conformance suite: every behaviour of DESIGN.md and of CPython's own pool tests, written
 * once and run on every adapter by the thin entries `node.test.ts`, `deno.test.ts`, `bun.test.ts`.
 */
import type { Harness } from './harness.js';
import api from './cases/api.js';
import asyncResult from './cases/async-result.js';
import backpressure from './cases/backpressure.js';
import cancellation from './cases/cancellation.js';
import cooperativeCancel from './cases/cooperative-cancel.js';
import customErrors from './cases/custom-errors.js';
import errors from './cases/errors.js';
import faults from './cases/faults.js';
import hints from './cases/hints.js';
import imap from './cases/imap.js';
import leaks from './cases/leaks.js';
import longChunks from './cases/long-chunks.js';
import lifecycle from './cases/lifecycle.js';
import observability from './cases/observability.js';
import options from './cases/options.js';
import properties from './cases/properties.js';
import soak from './cases/soak.js';
import recycling from './cases/recycling.js';
import sizing from './cases/sizing.js';
import terminateChaos from './cases/terminate-chaos.js';
import transfer from './cases/transfer.js';
import typescript from './cases/typescript.js';
import workers from './cases/workers.js';

export { harness, type Harness, type Capabilities } from './harness.js';

/** Registers the whole suite for one adapter. */
export function conformance(harness: Harness): void {
  harness.describe(`@pool conformance: ${harness.name}`, () => {
    for (const cases of [
      api, asyncResult, cancellation, errors, longChunks, hints, imap, lifecycle, options, workers, faults, terminateChaos, properties, leaks, soak,
      typescript, sizing, backpressure, customErrors, observability, cooperativeCancel, recycling, transfer,
    ]) cases(harness);
  });
}
