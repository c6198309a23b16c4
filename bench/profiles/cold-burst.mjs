// W1's cold window against a pool with almost no code: shots of 20,000 `apply('inc', [i])` at once
// on one pool, the first after 100 warm-up calls as W1 measures it, each shot's rate and the main
// thread's GC time in it (perf_hooks 'gc' entries). `minimal` is a pool of fifteen lines (a
// promise per call, one array, one microtask drain): the floor of what a promise per call costs
// in a fresh process, with none of @pool's bookkeeping (cache, retries, timeouts, metrics).
//   node bench/profiles/cold-burst.mjs [inline|nodeWorkers|minimal|floor] [shots=4]
// (`floor` is the bench's bare worker_threads ping-pong, one message per call.)
// bench/README.md, "Where W1's time goes, per adapter", has what it showed.
import { PerformanceObserver } from 'node:perf_hooks';
import { inline, Pool } from '@pool/core';
import { nodeWorkers } from '@pool/node-worker';
import { fib, inc } from '../tasks/tasks.mjs';

const [which = 'inline', count = '4'] = process.argv.slice(2);
const burst = 20_000;

const tasks = { inc, fib };

/** The minimal pool: what every pool pays per call, and nothing else. */
class Minimal {
  #queue = [];
  #scheduled = false;
  apply(task, args) {
    let resolve;
    let reject;
    const promise = new Promise((yes, no) => {
      resolve = yes;
      reject = no;
    });
    this.#queue.push({ task, args, resolve, reject });
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.#drain());
    }
    return promise;
  }
  #drain() {
    this.#scheduled = false;
    for (const unit of this.#queue.splice(0)) {
      try {
        unit.resolve(tasks[unit.task](...unit.args));
      } catch (error) {
        unit.reject(error);
      }
    }
  }
  terminate() {}
}

async function floor() {
  const channels = (await import('../drivers/floor-thread.mjs')).load();
  const { call, close } = (await channels)(2);
  return { apply: (task, [arg]) => call(task, arg), terminate: close };
}
const pool =
  which === 'minimal'
    ? new Minimal()
    : which === 'floor'
      ? await floor()
      : new Pool({ adapter: which === 'inline' ? inline() : nodeWorkers(), module: new URL('../tasks/tasks.mjs', import.meta.url), processes: 2 });
const collections = [];
new PerformanceObserver((list) => collections.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
/** Main-thread GC time that started in [from, to]; Node reports a collection a few macrotasks after it. */
async function gcMs(from, to) {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  return collections.filter((entry) => entry.startTime >= from && entry.startTime <= to).reduce((sum, entry) => sum + entry.duration, 0);
}

await Promise.all(Array.from({ length: 100 }, (_, i) => pool.apply('inc', [i])));
const shots = [];
for (let shot = 0; shot < Number(count); shot++) {
  const t0 = performance.now();
  const pending = new Array(burst);
  for (let i = 0; i < burst; i++) pending[i] = pool.apply('inc', [i]);
  const values = await Promise.all(pending);
  const t1 = performance.now();
  const ms = t1 - t0;
  if (values[burst - 1] !== burst) throw new Error('wrong result');
  shots.push(`${Math.round(burst / ms)}k/s (${ms.toFixed(0)} ms, GC ${(await gcMs(t0, t1)).toFixed(0)} ms)`);
}
console.log(`${which}: ${shots.join(' | ')}`);
await pool.terminate();
