// Bun: bare specifiers, as after `bun add @pool/core @pool/bun`.

import { bunWorkers } from '@pool/bun';
import * as core from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { check } from './check.mjs';

await check(`bun ${Bun.version}`, core.Pool, { inline: core.inline, bunWorkers, nodeWorkers, nodeProcesses }, core);
