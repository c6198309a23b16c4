import { runOp } from './ops.mjs';

process.on('message', (m) => process.send(runOp(m)));
