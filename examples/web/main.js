// The demo: render the same tiles serially on the page's thread, then on a pool of Web Workers,
// drawing each tile as it arrives; show progress, the speedup and the pool's live stats().
// #region readme
import { Pool } from '@pool/core';
import { webWorkers } from '@pool/web';

// #endregion
import { tile } from './tasks.js';

// Started first: workers load the module while the page sets up and the serial run goes.
const poolStarted = performance.now();
// #region readme
const pool = new Pool({ adapter: webWorkers(), module: new URL('./tasks.js', import.meta.url) });
// #endregion

const $ = (id) => document.getElementById(id);
const canvas = $('canvas');
const context = canvas.getContext('2d');
const { width, height } = canvas;
const size = 80;
const view = { x: -0.7453, y: 0.1127, size: 0.0065 };
const maxIter = 1200;
const tiles = [];
for (let y0 = 0; y0 < height; y0 += size) {
  for (let x0 = 0; x0 < width; x0 += size) {
    tiles.push({ x0, y0, w: Math.min(size, width - x0), h: Math.min(size, height - y0), width, height, view, maxIter });
  }
}
$('tiles-count').textContent = String(tiles.length);

const isolated = globalThis.crossOriginIsolated === true;
$('isolation').textContent = isolated ? 'cross-origin isolated (shared memory on)' : 'not cross-origin isolated (no shared memory)';
const other = location.pathname.replace(/^\/(isolated|plain)\//, (_, kind) => `/${kind === 'isolated' ? 'plain' : 'isolated'}/`);
$('other').href = other;
$('other').textContent = `open the ${isolated ? 'plain' : 'isolated'} page`;

const putTile = (t) => context.putImageData(new ImageData(t.pixels, t.w, t.h), t.x0, t.y0);
const progress = (bar, done) => ($(bar).style.width = `${(100 * done) / tiles.length}%`);
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
/** One macrotask: lets the page paint between serial tiles. */
const paint = () => new Promise((resolve) => setTimeout(resolve, 0));

function showStats(pool) {
  const stats = pool.stats();
  $('stats').innerHTML = Object.entries(stats)
    .map(([key, value]) => `<span>${key}</span><b>${value}</b>`)
    .join('');
}

async function runSerial() {
  context.clearRect(0, 0, width, height);
  let iterations = 0;
  const started = performance.now();
  for (const [i, t] of tiles.entries()) {
    const result = tile(t);
    iterations += result.iterations;
    putTile(result);
    progress('serial-bar', i + 1);
    $('serial-text').textContent = `${i + 1} / ${tiles.length} tiles, ${seconds(performance.now() - started)}`;
    await paint();
  }
  return { ms: performance.now() - started, iterations };
}

async function runPool(pool) {
  context.clearRect(0, 0, width, height);
  let iterations = 0;
  let done = 0;
  const started = performance.now();
  const draw = (result) => {
    iterations += result.iterations;
    putTile(result);
    progress('pool-bar', ++done);
    $('pool-text').textContent = `${done} / ${tiles.length} tiles, ${seconds(performance.now() - started)}`;
    showStats(pool);
  };
  // #region readme
  for await (const result of pool.imapUnordered('tile', tiles)) draw(result);
  // #endregion
  return { ms: performance.now() - started, iterations };
}

showStats(pool);
// Started once, before the timed runs: workers load the module while the serial run goes.
const ready = pool.apply(() => true).then(() => performance.now() - poolStarted);

async function run() {
  $('again').disabled = true;
  document.body.dataset.done = '';
  for (const bar of ['serial-bar', 'pool-bar']) progress(bar, 0);
  $('speedup').textContent = '—';
  const serial = await runSerial();
  $('serial-text').textContent = `${tiles.length} tiles in ${seconds(serial.ms)}`;
  const startMs = await ready;
  const parallel = await runPool(pool);
  $('pool-text').textContent = `${tiles.length} tiles in ${seconds(parallel.ms)} on ${pool.processes} workers (started in ${startMs.toFixed(0)} ms, beforehand)`;
  const same = parallel.iterations === serial.iterations;
  $('speedup').textContent = `${(serial.ms / parallel.ms).toFixed(2)}×`;
  $('speedup-text').textContent = `${pool.processes} workers, navigator.hardwareConcurrency = ${navigator.hardwareConcurrency}; ` +
    (same ? 'same pixels as the serial run' : 'DIFFERENT result from the serial run!');
  showStats(pool);
  // For the test that opens this page (test/web/run.mjs): the run is over, and how it went.
  Object.assign(document.body.dataset, { done: '1', same: String(same), speedup: String(serial.ms / parallel.ms) });
  $('again').disabled = false;
}

$('again').addEventListener('click', run);
run().catch((error) => {
  $('pool-text').textContent = `failed: ${error}`;
  document.body.dataset.done = 'error';
  throw error;
});
