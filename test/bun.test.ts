/**
 * The conformance suite under Bun (`bun test ./bun.test.ts`), on bunWorkers, inline and the
 * Node adapters Bun runs.
 */
import { describe, expect, it } from 'bun:test';
import { inline } from '@pool/core';
import { bunWorkers } from '@pool/bun';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { conformance } from './conformance/suite.js';
import { typescriptModule } from './runtimes/typescript-module.js';

for (const harness of [
  { name: 'inline', adapter: () => inline(), supports: { clones: false, isolated: false }, describe, it, expect },
  { name: 'bunWorkers', adapter: () => bunWorkers(), supports: { clones: true, isolated: true }, describe, it, expect },
  { name: 'nodeWorkers', adapter: () => nodeWorkers(), supports: { clones: true, isolated: true }, describe, it, expect },
  { name: 'nodeProcesses', adapter: () => nodeProcesses(), supports: { clones: true, isolated: true }, describe, it, expect },
]) {
  conformance(harness);
  typescriptModule(harness);
}
