// One contestant × one workload, in a fresh process: `<runtime> harness/main.mjs <id> <W1..W8>`.
// Prints one JSON line: { value, unit, items?, rss?, note? } or { na: reason }.
import process from 'node:process';
import { byId } from '../lib/contestants.mjs';
import { peakRss } from '../lib/rss.mjs';
import { isReal, sizes } from '../lib/workloads.mjs';
import { check, micro, now, warm } from '../lib/micro.mjs';
import { fib } from '../tasks/tasks.mjs';

const [id, workload] = globalThis.Deno ? Deno.args : process.argv.slice(2);
const contestant = byId.get(id);
const real = isReal(workload);
// The real workloads' tasks load their libraries: only their workers get that module.
const tasksUrl = new URL(real ? '../tasks/real.mjs' : '../tasks/tasks.mjs', import.meta.url);

function out(result) {
  console.log(JSON.stringify(result));
  process.exit(0);
}

let factory;
let serverFactory;
let recyclingFactory;
try {
  const driver = await import(contestant.driverUrl ?? `../drivers/${contestant.driver}`);
  factory = await driver.load(contestant.options ?? {}, { tasksUrl, real: real && { binary: workload.startsWith('image') } });
  serverFactory = await driver.server?.(contestant.options ?? {}, { tasksUrl });
  recyclingFactory = await driver.recycling?.(contestant.options ?? {}, { tasksUrl });
} catch (error) {
  out({ na: `not available (${String(error?.message ?? error).split('\n')[0].slice(0, 120)})` });
}


/** Peers without imap: read the generator in chunks, keep `ahead` chunks in flight, yield in order. */
async function* chunkedImap(call, source, chunksize, ahead) {
  const iterator = source[Symbol.iterator]();
  const inFlight = [];
  let done = false;
  const fill = () => {
    while (!done && inFlight.length < ahead) {
      const chunk = [];
      while (chunk.length < chunksize) {
        const step = iterator.next();
        if (step.done) {
          done = true;
          break;
        }
        chunk.push(step.value);
      }
      if (chunk.length > 0) inFlight.push(call('incChunk', chunk));
    }
  };
  fill();
  while (inFlight.length > 0) {
    const values = await inFlight.shift();
    fill();
    for (const value of values) yield value;
  }
}

function* integers(n) {
  for (let i = 0; i < n; i++) yield i;
}


const n = sizes.processes;
const run = {
  W1: () => micro.W1(factory, sizes),
  W2: () => micro.W2(factory, sizes),
  W3: () => micro.W3(factory, sizes),
  async W4() {
    const pool = factory(n);
    await warm(pool);
    const total = sizes.w4Items;
    const items = Array.from({ length: total }, (_, i) => i);
    let values;
    let count = total;
    let note;
    const t0 = now();
    if (pool.map) {
      values = await pool.map('inc', items);
    } else {
      count = Math.min(total, sizes.w4PeerCap);
      const pending = new Array(count);
      for (let i = 0; i < count; i++) pending[i] = pool.call('inc', items[i]);
      values = await Promise.all(pending);
      if (count < total) note = `no map: per-item submission, capped at ${count.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} items (rate over the items run)`;
      else note = 'no map: per-item submission';
    }
    const seconds = (now() - t0) / 1000;
    const memory = peakRss(process.pid);
    check(values.length === count && values[count - 1] === count, 'W4');
    await pool.close();
    return { value: count / seconds, unit: 'items/s', items: count, seconds, rss: memory?.tree, rssHost: memory?.host, ...(note && { note }) };
  },
  W5: () => micro.W5(factory, sizes),
  async W6() {
    const pool = factory(n);
    await warm(pool);
    const total = sizes.w6Items;
    const chunksize = sizes.w6Chunksize;
    let note = `imap, chunksize ${chunksize}`;
    let results;
    const t0 = now();
    if (pool.imap) {
      results = pool.imap('inc', integers(total), chunksize);
    } else {
      results = chunkedImap(pool.call, integers(total), chunksize, 4 * n);
      note = `no imap: hand-rolled chunks of ${chunksize} (incChunk) with ${4 * n} in flight`;
    }
    let sum = 0;
    let count = 0;
    for await (const value of results) {
      sum += value;
      count++;
    }
    const seconds = (now() - t0) / 1000;
    const memory = peakRss(process.pid);
    check(count === total && sum === (total * (total + 1)) / 2, 'W6');
    await pool.close();
    return { value: total / seconds, unit: 'items/s', rss: memory?.tree, rssHost: memory?.host, note };
  },
  /** Bursts of requests over time against a pool sized 1…n with a bounded queue: latency, sheds, peak size. */
  async W7() {
    if (!serverFactory) return { na: 'no dynamic size with a bounded queue' };
    const { w7Bursts: bursts, w7BurstSize: size, w7GapMs: gap, w7N: fibN, w7MaxQueue: maxQueue } = sizes;
    const pool = serverFactory({ max: n, maxQueue, idleTimeout: gap / 3 });
    const expected = fib(fibN);
    const latencies = [];
    let shed = 0;
    let peak = 0;
    const requests = [];
    const t0 = now();
    for (let burst = 0; burst < bursts; burst++) {
      const due = t0 + burst * gap;
      while (now() < due) await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - now())));
      for (let i = 0; i < size; i++) {
        const start = now();
        requests.push(pool.call('fib', fibN).then(
          (value) => {
            check(value === expected, 'W7');
            latencies.push(now() - start);
          },
          () => void shed++,
        ));
      }
      peak = Math.max(peak, pool.workers());
    }
    await Promise.all(requests);
    const seconds = (now() - t0) / 1000;
    await pool.close();
    latencies.sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    return {
      value: at(0.99), unit: 'ms p99', p50: at(0.5), shed, served: latencies.length, peakWorkers: peak,
      rate: latencies.length / seconds, note: `${bursts} bursts of ${size} fib(${fibN}) every ${gap} ms; 1–${n} workers, maxQueue ${maxQueue}`,
    };
  },
  /**
   * Recycling: the rate of a burst of calls on a pool that retires every worker after a few hundred
   * tasks, over the same pool's rate without retiring (measured before and after it, averaged).
   * 1× means recycling costs nothing; the replacement starts before the retired worker leaves.
   */
  async W8() {
    if (!recyclingFactory) return { na: 'no maxTasksPerChild' };
    const { w8Calls: calls, w8N: fibN, w8MaxTasks: maxTasks, w8Workers: workers } = sizes;
    const expected = fib(fibN);
    const burst = (pool, count) => Promise.all(Array.from({ length: count }, () => pool.call('fib', fibN)));
    const rate = async (maxTasksPerChild) => {
      const pool = recyclingFactory(workers, maxTasksPerChild);
      await burst(pool, 2 * workers);
      const t0 = now();
      const values = await burst(pool, calls);
      const seconds = (now() - t0) / 1000;
      check(values.every((value) => value === expected), 'W8');
      const retired = pool.retired();
      await pool.close();
      return { rate: calls / seconds, retired };
    };
    const plainBefore = await rate(undefined);
    const recycled = await rate(maxTasks);
    const plainAfter = await rate(undefined);
    const plain = (plainBefore.rate + plainAfter.rate) / 2;
    return {
      value: recycled.rate / plain, unit: '× own', plainRate: plain, recycledRate: recycled.rate, retired: recycled.retired,
      note: `${calls} × fib(${fibN}) on ${workers} worker${workers === 1 ? '' : 's'}; maxTasksPerChild ${maxTasks} (${recycled.retired} workers retired) over none`,
    };
  },
};

if (real) {
  const { real: workloads } = await import('./real.mjs');
  const pool = factory(n);
  const result = await workloads[workload](pool, { transfer: pool.transfer });
  await pool.close();
  out(result);
}
out(await run[workload]());
