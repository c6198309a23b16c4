/** The conformance suite under Node.js (vitest), on every adapter Node has. */
import { inline } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { describe, expect, it } from 'vitest';
import { conformance, harness } from './conformance/suite.js';

conformance(harness({ name: 'inline', adapter: () => inline(), describe, it, expect }));
conformance(harness({ name: 'nodeWorkers', adapter: () => nodeWorkers(), describe, it, expect }));
conformance(harness({ name: 'nodeProcesses', adapter: () => nodeProcesses(), describe, it, expect }));
