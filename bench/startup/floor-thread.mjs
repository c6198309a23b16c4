import { parentPort } from 'node:worker_threads';
import { inc } from './probe.mjs';
parentPort.on('message', (m) => parentPort.postMessage(inc(m)));
