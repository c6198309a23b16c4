// Node, ESM: the published packages as `import` sees them.
import * as core from '@pool/core';
import { runWorker } from '@pool/core/worker';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { check } from './check.mjs';

if (typeof runWorker !== 'function') throw new Error('@pool/core/worker has no runWorker');
await check(`node ${process.version} ESM`, core.Pool, { inline: core.inline, nodeWorkers, nodeProcesses }, core);
