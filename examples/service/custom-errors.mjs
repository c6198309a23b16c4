import { Pool, registerError } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';
import { UpstreamError } from './tasks.mjs';

registerError(UpstreamError); // and in tasks.mjs: both sides know the class
const pool = new Pool({ adapter: nodeWorkers(), module: new URL('./tasks.mjs', import.meta.url), processes: 1 });
try {
  await pool.apply('callUpstream', [503]);
} catch (error) {
  console.log(error instanceof UpstreamError, error.status, error.name); // true 503 UpstreamError
}
await pool.terminate();
