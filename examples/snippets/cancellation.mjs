// The README's "Cancellation and retries". Run: `node cancellation.mjs`.
import { AbortError, Pool, TimeoutError } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

const pool = new Pool({ adapter: nodeWorkers(), module: new URL('./cancellation-tasks.mjs', import.meta.url), processes: 2 });
const scene = 'a slow scene';
const images = ['a.png', 'b.png'];
const urls = ['/1', '/2'];
const controller = new AbortController();
controller.abort(new Error('the user left'));
const expect = async (call, type) => {
  const error = await call().then(() => undefined, (e) => e);
  if (type ? !(error instanceof type) : error !== undefined) throw new Error(`unexpected: ${error}`);
};
try {
  await expect(async () => {
    // #region readme
    await pool.apply('render', [scene], { timeout: 2_000 });        // TimeoutError, worker stopped
    // #endregion
  }, TimeoutError);
  await expect(async () => {
    // #region readme
    await pool.map('resize', images, { signal: controller.signal }); // AbortError, cause = signal.reason
    // #endregion
  }, AbortError);
  await expect(async () => {
    // #region readme
    await pool.map('fetchPage', urls, { retries: 2 });               // re-run tasks whose worker died
    // #endregion
  });
  console.log('cancellation: ok');
} finally {
  await pool.terminate();
}
