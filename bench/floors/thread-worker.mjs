import { parentPort } from 'node:worker_threads';
import { runOp } from './ops.mjs';

parentPort.on('message', (m) => parentPort.postMessage(runOp(m)));
