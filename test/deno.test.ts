/**
 * The conformance suite under Deno (`deno test`), on denoWorkers, inline and nodeWorkers (through
 * Deno's `node:worker_threads`). Not nodeProcesses: Deno's `child_process` IPC does not report an
 * uncloneable message synchronously and then fails the host with an uncaught "Missing promise"
 * (see the README, "Node adapters under Deno and Bun"). Run from test/ with
 * `deno test -A --no-check --sloppy-imports --unstable-worker-options deno.test.ts` (`npm test`
 * does): sloppy imports map the suite's `.js` specifiers to its `.ts` files.
 */
import { inline } from '@pool/core';
import { denoWorkers } from '@pool/deno';
import { nodeWorkers } from '@pool/node-worker';
import { JestAsymmetricMatchers, JestChaiExpect, JestExtend } from '@vitest/expect';
import * as chai from 'chai';
// node:test maps describe → a Deno test, nested describe/it → steps, and awaits async bodies.
import { describe, it as nodeIt } from 'node:test';
declare const Deno: { env: { get(name: string): string | undefined } };
import { conformance, harness } from './conformance/suite.js';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);
const expect = chai.expect;

// vitest's testTimeout, which node:test lacks by default: a hung case fails instead of hanging the run.
// POOL_TEST_FILTER keeps only the cases whose name contains it (`npm run soak` uses it): Deno's
// own --filter sees only the top-level tests, not these steps.
const only = Deno.env.get('POOL_TEST_FILTER');
const timeout = Number(Deno.env.get('POOL_TEST_TIMEOUT') ?? 30_000);
const it = (name: string, body: () => Promise<void> | void): void => {
  if (only === undefined || name.includes(only)) nodeIt(name, { timeout }, async () => body());
};

for (const h of [
  harness({ name: 'inline', adapter: () => inline(), describe, it, expect }),
  harness({ name: 'denoWorkers', adapter: () => denoWorkers(), describe, it, expect }),
  harness({ name: 'nodeWorkers', adapter: () => nodeWorkers(), describe, it, expect }),
]) {
  conformance(h);
}
