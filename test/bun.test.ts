/**
 * The conformance suite under Bun (`bun test ./bun.test.ts`), on bunWorkers, inline and the
 * Node adapters Bun runs.
 */
import { describe, expect, it } from 'bun:test';
import { inline } from '@pool/core';
import { bunWorkers } from '@pool/bun';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { conformance, harness } from './conformance/suite.js';

for (const h of [
  harness({ name: 'inline', adapter: () => inline(), describe, it, expect }),
  harness({ name: 'bunWorkers', adapter: () => bunWorkers(), describe, it, expect }),
  harness({ name: 'nodeWorkers', adapter: () => nodeWorkers(), describe, it, expect }),
  harness({ name: 'nodeProcesses', adapter: () => nodeProcesses(), describe, it, expect }),
]) {
  conformance(h);
}
