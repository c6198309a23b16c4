// The load generator of the server workload, in its own Node process so it does not share the
// server's event loop: autocannon against 127.0.0.1, bounded by duration and a request timeout.
// `node lib/load.mjs <url> <connections> <seconds> <paths,…>` prints one JSON line.
import autocannon from 'autocannon';

const [url, connections, seconds, paths] = process.argv.slice(2);
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`load.mjs only loads 127.0.0.1, not ${url}`);
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  timeout: 10,
  requests: paths.split(',').map((path) => ({ method: 'GET', path })),
});
console.log(JSON.stringify({
  rps: result.requests.average, total: result.requests.total, p50: result.latency.p50, p99: result.latency.p99,
  errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx,
}));
