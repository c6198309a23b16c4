import { runOp } from './ops.mjs';

// process.send(undefined) throws (a message is required): send null for the no-op's result.
process.on('message', (m) => process.send(runOp(m) ?? null));
