/** The conformance suite under Node.js (vitest), on every adapter Node has. */
import { inline } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { describe, expect, it } from 'vitest';
import { conformance } from './conformance/suite.js';
import { typescriptModule } from './runtimes/typescript-module.js';

/**
 * Whether this Node loads a `.ts` module with no loader: type stripping, on by default from
 * 22.18 (and 23.6), behind `--experimental-strip-types` from 22.6. `process.features.typescript`
 * says so from 22.10; before that, the flag does.
 */
function stripsTypes(): boolean {
  const feature = (process.features as { typescript?: string | false }).typescript;
  if (feature !== undefined) return Boolean(feature);
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const flagged = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes('--experimental-strip-types');
  return flagged && (major > 22 || (major === 22 && minor >= 6));
}

const typescript = stripsTypes();
// Which cases this run registers, in the output: a case that does not apply is absent, not skipped.
console.info(
  typescript
    ? `Node ${process.version} strips types: the TypeScript task module case is registered for every adapter.`
    : `Node ${process.version} does not strip types: the TypeScript task module case is not registered (it runs on Node ≥ 22.6).`,
);

for (const harness of [
  { name: 'inline', adapter: () => inline(), supports: { clones: false, isolated: false }, describe, it, expect },
  { name: 'nodeWorkers', adapter: () => nodeWorkers(), supports: { clones: true, isolated: true }, describe, it, expect },
  { name: 'nodeProcesses', adapter: () => nodeProcesses(), supports: { clones: true, isolated: true }, describe, it, expect },
]) {
  conformance(harness);
  if (typescript) typescriptModule(harness);
}
