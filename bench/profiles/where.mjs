// Where W1's time goes, per adapter, from `perf` samples of the measured window only (host,
// worker threads, children, and the runtime's own GC/JIT threads), with JS frames named where
// the runtime can: Node's JS and native frames are named (--perf-basic-prof); Deno's and Bun's
// binaries are stripped, so there only the split between host, workers and helpers is exact.
//   node profiles/where.mjs [cold|warm] [contestant …]    (needs `perf`; run from bench/)
// Prints a markdown table: for each contestant, the share of CPU samples in each category.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { findRuntimes } from '../lib/machine.mjs';
import { byId } from '../lib/contestants.mjs';

const [phase = 'cold', ...ids] = process.argv.slice(2);
const chosen = ids.length > 0 ? ids : ['nodeWorkers', 'nodeProcesses', 'inline', 'denoWorkers', 'bunWorkers', 'floor-thread', 'floor-fork', 'floor-deno', 'floor-bun'];
const { commands } = findRuntimes();
const jitNames = { node: ['--perf-basic-prof'], deno: ['--v8-flags=--perf-basic-prof'], bun: [] };
const dir = mkdtempSync(`${tmpdir()}/pool-where-`);

/** One sample's category, by its symbol (and whether it ran in the kernel). */
function category(symbol, kernel) {
  if (kernel) return 'kernel';
  if (/tasks\/tasks\.mjs/.test(symbol)) return 'task';
  if (/@pool|packages\/core\/dist|adapters\/[a-z-]+\/dist|drivers\/|lib\/micro/.test(symbol)) return 'pool JS';
  if (/Serializ|Deserializ|MessagePort|postMessage|StructuredClone|SerializedScriptValue|CloneDeserializer|CloneSerializer|node::worker|ChildProcess|Pipe|uv_(write|read|try)|writev|readv/.test(symbol)) return 'messaging';
  if (/compiler::|Turbofan|Maglev|OptimizedCompilationJob|JSC::(DFG|FTL|B3|Air|JIT|LLInt::|Baseline)|Compile|Parser|Scanner|BytecodeGenerator/.test(symbol)) return 'JIT/compile';
  if (/Scaveng|Marking|MarkCompact|Sweep|Evacuat|Heap::|heap::|GarbageCollector|JSC::(Heap|Marked|Slot|Subspace|BlockDirectory|GCThread|IsoCellSet)|Allocator::|bmalloc|libpas|pas_/.test(symbol)) return 'GC/alloc';
  if (/^\[unknown\]|^0x/.test(symbol)) return 'unresolved';
  if (/^JS:|^Builtins_/.test(symbol)) return 'other JS/builtins';
  return 'runtime native';
}
const categories = ['pool JS', 'task', 'other JS/builtins', 'messaging', 'GC/alloc', 'JIT/compile', 'runtime native', 'unresolved', 'kernel'];

const rows = [];
for (const id of chosen) {
  const contestant = byId.get(id);
  const runtime = commands[contestant?.runtime];
  if (!runtime) {
    console.error(`${id}: runtime not available, skipped`);
    continue;
  }
  const data = `${dir}/${id}.data`;
  const run = spawnSync(runtime[0], [...runtime.slice(1), ...jitNames[contestant.runtime], 'profiles/where-run.mjs', id, data, phase], { encoding: 'utf8' });
  const line = run.stdout.trim().split('\n').at(-1);
  if (run.status !== 0 || !line?.startsWith('{')) {
    console.error(`${id}: failed: ${run.stderr.slice(-400)}`);
    continue;
  }
  const { pids, rate } = JSON.parse(line);
  const report = spawnSync('perf', ['report', '-i', data, '--no-children', '--sort', 'pid,sym', '-g', 'none', '-q', '-F', 'sample,pid,sym'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  // Threads: the host's main thread, each child's main thread, and every other thread.
  const byThread = new Map();
  for (const text of report.stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+):\S*\s+\[(.)\]\s+(.*)$/.exec(text);
    if (!match) continue;
    const [, samples, tid, mode, symbol] = match;
    const thread = byThread.get(tid) ?? byThread.set(tid, new Map()).get(tid);
    const key = category(symbol.trim(), mode === 'k');
    thread.set(key, (thread.get(key) ?? 0) + Number(samples));
  }
  const groups = { host: new Map(), workers: new Map(), helpers: new Map() };
  for (const [tid, counts] of byThread) {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const js = (counts.get('pool JS') ?? 0) + (counts.get('task') ?? 0) + (counts.get('other JS/builtins') ?? 0) + (counts.get('messaging') ?? 0) + (counts.get('unresolved') ?? 0);
    // A thread that runs JavaScript is a worker (or a child's main thread); else a GC/JIT helper.
    // Where the runtime's symbols are stripped (Deno, Bun), its helpers' work is unresolved too.
    const group = tid === pids[0] ? groups.host : pids.includes(tid) || js / total > 0.2 ? groups.workers : groups.helpers;
    for (const [key, n] of counts) group.set(key, (group.get(key) ?? 0) + n);
  }
  const all = [...Object.values(groups)].flatMap((g) => [...g.values()]).reduce((a, b) => a + b, 0);
  rows.push({ id, rate, all, groups });
}
rmSync(dir, { recursive: true, force: true });

const pct = (n, total) => (total ? `${Math.round((100 * n) / total)}%` : '—');
console.log(`W1 (${phase}): share of all CPU samples in the measured window (perf, 1999 Hz)\n`);
console.log(`| contestant | tasks/s | where | total | ${categories.join(' | ')} |`);
console.log(`|---|--:|---|--:|${categories.map(() => '--:').join('|')}|`);
for (const { id, rate, all, groups } of rows) {
  for (const [name, group] of Object.entries(groups)) {
    const total = [...group.values()].reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    console.log(`| ${name === 'host' ? id : ''} | ${name === 'host' ? `${Math.round(rate / 1000)}k` : ''} | ${name} | ${pct(total, all)} | ${categories.map((c) => pct(group.get(c) ?? 0, all)).join(' | ')} |`);
  }
}
