// What a big map's chunks cost on the wire, without the pool (bench/README.md, "W4: where a big
// map's time goes"): two bare worker threads map `x + 1` over a million integers in Python's
// default chunks (125,000), one held ahead per worker, the host copying each answer into one
// result array, as @pool's map does. Only the shape of what crosses changes:
//   flat      one array per chunk, each way (what @pool sent before protocol 5)
//   segments  arrays of at most `segment` items each way (default 4,096)
//   packed    segments out, the values back as one Float64Array
// It prints each round's milliseconds (the first is cold) and the process's page faults and
// system CPU, which is where the large arrays' cost shows.
//   node profiles/big-map-wire.mjs [flat|segments|packed] [segment] [rounds]
import { Worker } from 'node:worker_threads';

const [mode = 'segments', segmentArg = '4096', roundsArg = '6'] = process.argv.slice(2);
const segment = Number(segmentArg);
const size = 125_000;
const total = 1_000_000;

const worker = `
const { parentPort } = require('node:worker_threads');
const inc = (x) => x + 1;
parentPort.on('message', ({ id, args, mode }) => {
  if (mode === 'flat') {
    const out = new Array(args.length);
    for (let i = 0; i < args.length; i++) out[i] = inc(args[i]);
    return parentPort.postMessage({ id, value: out });
  }
  if (mode === 'segments') {
    const value = args.map((part) => { const out = new Array(part.length); for (let i = 0; i < part.length; i++) out[i] = inc(part[i]); return out; });
    return parentPort.postMessage({ id, value });
  }
  let n = 0;
  for (const part of args) n += part.length;
  const packed = new Float64Array(n);
  let k = 0;
  for (const part of args) for (let i = 0; i < part.length; i++) packed[k++] = inc(part[i]);
  parentPort.postMessage({ id, value: packed });
});`;

const workers = [new Worker(worker, { eval: true }), new Worker(worker, { eval: true })];
const items = Array.from({ length: total }, (_, i) => i);

function round() {
  return new Promise((resolve) => {
    let next = 0;
    let left = total / size;
    let values;
    const send = (w) => {
      if (next * size >= total) return;
      const id = next++;
      const start = id * size;
      let args;
      if (mode === 'flat') args = items.slice(start, start + size);
      else {
        args = [];
        for (let s = start; s < start + size; s += segment) args.push(items.slice(s, Math.min(s + segment, start + size)));
      }
      w.postMessage({ id, args, mode });
    };
    for (const w of workers) {
      w.removeAllListeners('message');
      w.on('message', ({ id, value }) => {
        values ??= new Array(total);
        let at = id * size;
        if (mode === 'segments') {
          for (const part of value) for (let i = 0; i < part.length; i++) values[at++] = part[i];
        } else {
          for (let i = 0; i < value.length; i++) values[at + i] = value[i];
        }
        send(w);
        if (--left === 0) resolve(values);
      });
      send(w);
      send(w);
    }
  });
}

const before = process.resourceUsage();
const times = [];
for (let r = 0; r < Number(roundsArg); r++) {
  const t0 = performance.now();
  const values = await round();
  times.push(Math.round(performance.now() - t0));
  if (values[total - 1] !== total) throw new Error('wrong result');
}
const after = process.resourceUsage();
console.log(`${mode}${mode === 'flat' ? '' : ` (${segment})`}: ${times.join(' ')} ms a round; ${after.minorPageFault - before.minorPageFault} page faults, ${((after.systemCPUTime - before.systemCPUTime) / 1000).toFixed(0)} ms system CPU`);
for (const w of workers) await w.terminate();
