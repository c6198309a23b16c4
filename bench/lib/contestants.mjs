// Who runs: every contestant, the runtime it runs on, its driver, and the floor its ratios use.
import { existsSync } from 'node:fs';
import process from 'node:process';

const root = new URL('../../', import.meta.url);
const built = (...paths) => paths.map((p) => new URL(p, root));

/** Floors first: they are what every other figure is divided by. */
export const contestants = [
  { id: 'floor-thread', label: 'floor: worker_threads ping-pong', runtime: 'node', driver: 'floor-thread.mjs', floor: true },
  { id: 'floor-fork', label: 'floor: fork IPC ping-pong (advanced)', runtime: 'node', driver: 'floor-fork.mjs', floor: true },
  { id: 'floor-deno', label: 'floor: Deno Worker ping-pong', runtime: 'deno', driver: 'floor-web.mjs', floor: true },
  { id: 'floor-bun', label: 'floor: Bun Worker ping-pong', runtime: 'bun', driver: 'floor-web.mjs', floor: true },
  { id: 'floor-python', label: 'floor: Python Pipe ping-pong', runtime: 'python', floor: true },
  { id: 'nodeWorkers', label: '@pool nodeWorkers', runtime: 'node', driver: 'pool.mjs', options: { adapter: 'nodeWorkers' },
    base: 'floor-thread', pool: true, requires: built('packages/core/dist/index.js', 'adapters/node-worker/dist/index.js') },
  { id: 'nodeProcesses', label: '@pool nodeProcesses', runtime: 'node', driver: 'pool.mjs', options: { adapter: 'nodeProcesses' },
    base: 'floor-fork', pool: true, requires: built('packages/core/dist/index.js', 'adapters/node-process/dist/index.js') },
  { id: 'inline', label: '@pool inline', runtime: 'node', driver: 'pool.mjs', options: { adapter: 'inline' },
    base: 'floor-thread', pool: true, requires: built('packages/core/dist/index.js') },
  { id: 'denoWorkers', label: '@pool denoWorkers (Deno)', runtime: 'deno', driver: 'pool.mjs', options: { adapter: 'denoWorkers' },
    base: 'floor-deno', pool: true, requires: built('packages/core/dist/index.js', 'adapters/deno/dist/index.js') },
  { id: 'bunWorkers', label: '@pool bunWorkers (Bun)', runtime: 'bun', driver: 'pool.mjs', options: { adapter: 'bunWorkers' },
    base: 'floor-bun', pool: true, requires: built('packages/core/dist/index.js', 'adapters/bun/dist/index.js') },
  { id: 'thread-1inflight', label: 'ref: threads, 1 in flight/worker', runtime: 'node', driver: 'floor-thread.mjs',
    options: { oneInFlight: true }, base: 'floor-thread', only: ['W1'] },
  { id: 'piscina', label: 'piscina', runtime: 'node', driver: 'piscina.mjs', base: 'floor-thread' },
  { id: 'tinypool', label: 'tinypool', runtime: 'node', driver: 'tinypool.mjs', base: 'floor-thread' },
  { id: 'workerpool-thread', label: 'workerpool (thread)', runtime: 'node', driver: 'workerpool.mjs', options: { workerType: 'thread' }, base: 'floor-thread' },
  { id: 'workerpool-process', label: 'workerpool (process)', runtime: 'node', driver: 'workerpool.mjs', options: { workerType: 'process' }, base: 'floor-fork' },
  { id: 'python', label: 'Python multiprocessing.Pool', runtime: 'python', base: 'floor-python' },
  // In a browser page (bench/web), isolated (COOP/COEP: shared memory) and plain: W1, W2, W3, W5.
  ...['isolated', 'plain'].flatMap((page) => [
    { id: `floor-web-${page}`, label: `floor: Chromium Worker ping-pong (${page} page)`, factory: 'floor', floor: true },
    { id: `webWorkers-${page}`, label: `@pool webWorkers (Chromium, ${page})`, factory: 'webWorkers', pool: true, base: `floor-web-${page}`,
      requires: built('packages/core/dist/index.js', 'adapters/web/dist/index.js', 'adapters/web/dist/worker.js') },
    { id: `workerpool-web-${page}`, label: `workerpool (Chromium, ${page})`, factory: 'workerpool', base: `floor-web-${page}` },
    { id: `poolifier-web-${page}`, label: `poolifier-web-worker (Chromium, ${page})`, factory: 'poolifier', base: `floor-web-${page}` },
  ].map((c) => ({ ...c, runtime: 'chromium', page, only: ['W1', 'W2', 'W3', 'W5'] }))),
];
for (const c of contestants) c.base ??= c.id;

// BENCH_BEFORE=<another checkout, built>: every @pool contestant that runs in a fresh process also
// runs from that tree (its own drivers, so its own packages), as `<id>@before`, in the same rounds.
// This is how a change shows its before/after in one run, under one load.
const before = process.env.BENCH_BEFORE;
if (before) {
  const tree = new URL(`${before.replace(/\/?$/, '/')}`, 'file:///');
  const label = process.env.BENCH_BEFORE_LABEL ?? 'before';
  const pools = contestants.filter((c) => c.pool && c.runtime !== 'chromium');
  contestants.splice(contestants.indexOf(pools.at(-1)) + 1, 0, ...pools.map((c) => ({
    ...c, id: `${c.id}@before`, label: `${c.label} (${label})`, driverUrl: new URL(`bench/drivers/${c.driver}`, tree).href,
    requires: c.requires.map((url) => new URL(url.pathname.slice(root.pathname.length), tree)),
  })));
}

export const byId = new Map(contestants.map((c) => [c.id, c]));

/** Why a contestant cannot run here, or null. */
export function unavailable(contestant, runtimes) {
  if (!runtimes[contestant.runtime]) return `no ${contestant.runtime} runtime`;
  const missing = (contestant.requires ?? []).find((url) => !existsSync(url));
  return missing ? `not built: ${missing.pathname.slice(root.pathname.length)}` : null;
}
