/** The conformance suite under Node.js (vitest), on every adapter Node has. */
import { inline } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { describe, expect, it } from 'vitest';
import { conformance } from './conformance/suite.js';

conformance({ name: 'inline', adapter: () => inline(), supports: { clones: false, isolated: false }, describe, it, expect });
conformance({ name: 'nodeWorkers', adapter: () => nodeWorkers(), supports: { clones: true, isolated: true }, describe, it, expect });
conformance({ name: 'nodeProcesses', adapter: () => nodeProcesses(), supports: { clones: true, isolated: true }, describe, it, expect });
