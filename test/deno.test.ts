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
import { conformance } from './conformance/suite.js';
import { typescriptModule } from './runtimes/typescript-module.js';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);
const expect = chai.expect;

// vitest's testTimeout, which node:test lacks by default: a hung case fails instead of hanging the run.
const it = (name: string, body: () => Promise<void> | void): void => nodeIt(name, { timeout: 30_000 }, async () => body());

for (const harness of [
  { name: 'inline', adapter: () => inline(), supports: { clones: false, isolated: false }, describe, it, expect },
  { name: 'denoWorkers', adapter: () => denoWorkers(), supports: { clones: true, isolated: true }, describe, it, expect },
  { name: 'nodeWorkers', adapter: () => nodeWorkers(), supports: { clones: true, isolated: true }, describe, it, expect },
]) {
  conformance(harness);
  typescriptModule(harness);
}
