// Deno: `npm:` specifiers, resolved from the project's node_modules (no network).
import * as core from 'npm:@pool/core';
import { denoWorkers } from 'npm:@pool/deno';
import { nodeWorkers } from 'npm:@pool/node-worker';
import { check } from './check.mjs';

await check(`deno ${Deno.version.deno}`, core.Pool, { inline: core.inline, denoWorkers, nodeWorkers }, core);
