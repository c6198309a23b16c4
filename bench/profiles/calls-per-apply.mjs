// JavaScript calls per apply (issue 9's W2 regression, bench/README.md "Where @pool's per-task
// time goes", item 7): while code is cold (a fresh pool's first thousands of calls) every call
// costs, getters included, so the count is the measure. V8's precise coverage counts every
// function's calls; this prints the total per apply in @pool's own code, and the functions
// called at least once per apply.
//   node profiles/calls-per-apply.mjs [inline|nodeWorkers] [sequential|burst] [calls]
// For nodeWorkers it counts the host; the worker's count comes from a session opened inside the
// worker by a task of profiles/coverage-tasks.mjs.
import { Session } from 'node:inspector/promises';
import { inline, Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';

const [adapterName = 'inline', shape = 'sequential', count = '1000'] = process.argv.slice(2);
const calls = Number(count);
const adapter = adapterName === 'inline' ? inline() : nodeWorkers();
const pool = new Pool({ adapter, module: new URL('./coverage-tasks.mjs', import.meta.url), processes: adapterName === 'inline' ? 2 : 1 });
const ours = /\/(packages\/core|adapters\/[a-z-]+)\/dist\//;

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
await Promise.all(Array.from({ length: 100 }, (_, i) => pool.apply('inc', [i])));
const inWorker = adapterName !== 'inline' && (await pool.apply('startCoverage', []));
await session.post('Profiler.takePreciseCoverage'); // resets the counts
if (shape === 'burst') await Promise.all(Array.from({ length: calls }, (_, i) => pool.apply('inc', [i])));
else for (let i = 0; i < calls; i++) await pool.apply('inc', [i]);
const { result } = await session.post('Profiler.takePreciseCoverage');
console.log(report(`${adapterName}, ${shape}, host`, result, calls));
if (inWorker) console.log(report(`${adapterName}, ${shape}, worker`, await pool.apply('takeCoverage', []), calls));
await pool.terminate();

/** Calls per apply in @pool's code, and each function called at least once per apply. */
function report(title, scripts, per) {
  let total = 0;
  const rows = [];
  for (const script of scripts) {
    if (!ours.test(script.url)) continue;
    const file = script.url.replace(/.*\/(packages|adapters)\//, '');
    for (const fn of script.functions) {
      const n = fn.ranges[0].count;
      total += n;
      if (n >= per) rows.push(`${(n / per).toFixed(1)} ${fn.functionName || '(anonymous)'} (${file})`);
    }
  }
  return `${title}: ${(total / per).toFixed(1)} calls per apply\n  ${rows.join('\n  ')}`;
}
