// The real workloads (issue 14): libraries users offload, each result checked against a serial
// run of the same inputs in the same process, which also gives the speedup.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import process from 'node:process';
import { digest, documents, frames, passwords } from '../lib/real-inputs.mjs';
import { sizes } from '../lib/workloads.mjs';
import * as tasks from '../tasks/real.mjs';

const now = () => performance.now();
const n = sizes.processes;

/** Serial, then the pool on the same inputs: rate, speedup and a check that the results agree. */
async function throughput(pool, task, inputs, { transfer = false, digestOf = digest } = {}) {
  const t0 = now();
  const expected = inputs.map((input) => digestOf(tasks[task](input)));
  const serialMs = now() - t0;
  // Transfer detaches the argument: send copies made before the clock starts.
  const sent = transfer ? inputs.map((input) => input.slice().buffer) : inputs;
  const t1 = now();
  const values = await Promise.all(sent.map((input) => pool.call(task, input, transfer ? [input] : undefined)));
  const parallelMs = now() - t1;
  const wrong = values.findIndex((value, i) => digestOf(value) !== expected[i]);
  if (wrong >= 0) throw new Error(`${task}: result ${wrong} differs from the serial run's`);
  return { value: inputs.length / (parallelMs / 1000), unit: 'items/s', serialMs, parallelMs, speedup: serialMs / parallelMs };
}

async function warm(pool, task, input, count = 2 * n) {
  await Promise.all(Array.from({ length: count }, () => pool.call(task, input)));
}

/** A node:http server on 127.0.0.1 rendering a document per request on the pool, under autocannon. */
async function server(pool) {
  const docs = documents(64);
  const paths = docs.map((_, i) => `/doc/${i}`);
  const http = createServer((req, res) => {
    const doc = docs[Number(req.url.slice(5)) % docs.length];
    pool.call('renderMarkdown', doc).then(
      (html) => res.writeHead(200, { 'content-type': 'text/html' }).end(html),
      (error) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${http.address().port}`;
  try {
    await warm(pool, 'renderMarkdown', docs[0], 200);
    for (const i of [0, 17, 63]) {
      const body = await (await fetch(`${url}${paths[i]}`)).text();
      if (body !== tasks.renderMarkdown(docs[i])) throw new Error(`server: ${paths[i]} differs from the serial render`);
    }
    const node = process.env.BENCH_NODE ?? process.execPath;
    const load = new URL('../lib/load.mjs', import.meta.url).pathname;
    const stdout = await new Promise((resolve, reject) =>
      execFile(node, [load, url, String(sizes.serverConnections), String(sizes.serverSeconds), paths.join(',')],
        { timeout: (sizes.serverSeconds + 20) * 1000, env: { ...process.env, NODE_OPTIONS: '' } },
        (error, out, err) => (error ? reject(new Error(`autocannon: ${err.trim().split('\n').pop() || error.message}`)) : resolve(out))));
    const r = JSON.parse(stdout.trim().split('\n').pop());
    if (r.errors || r.non2xx || r.timeouts) throw new Error(`server: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
    return { value: r.rps, unit: 'req/s', p50: r.p50, p99: r.p99, requests: r.total };
  } finally {
    http.close();
    http.closeAllConnections?.();
  }
}

export const real = {
  async hash(pool) {
    const inputs = passwords(sizes.hashItems);
    await warm(pool, 'hashPassword', 'warm-up');
    return throughput(pool, 'hashPassword', inputs);
  },
  async markdown(pool) {
    const inputs = documents(sizes.markdownItems);
    await warm(pool, 'renderMarkdown', inputs[0], 50);
    return throughput(pool, 'renderMarkdown', inputs);
  },
  async 'image-copy'(pool) {
    const inputs = frames(sizes.imageItems);
    await warm(pool, 'thumbnail', inputs[0]);
    return throughput(pool, 'thumbnail', inputs);
  },
  async 'image-transfer'(pool, { transfer }) {
    const inputs = frames(sizes.imageItems);
    await warm(pool, 'thumbnail', inputs[0]);
    const result = await throughput(pool, 'thumbnail', inputs, { transfer });
    return transfer ? result : { ...result, note: 'no transfer here: arguments copied' };
  },
  server,
};
