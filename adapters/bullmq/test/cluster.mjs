// A local cluster for tests, benchmarks and the example: a real redis-server on 127.0.0.1 (a
// free port, no persistence) and real `pool-worker` host processes. Everything is stopped by PID.
// Readiness is awaited on what the processes print, never on a sleep.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The host command, built. */
export const hostCommand = fileURLToPath(new URL('../dist/host-cli.js', import.meta.url));

/** Whether `redis-server` is on PATH. */
export function hasRedisServer() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `child` prints a line matching `pattern` on `stream`; rejects if it exits first or `ms` pass. */
function waitForLine(child, stream, pattern, ms, what) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => done(new Error(`${what}: not ready after ${ms} ms\n${seen}`)), ms);
    const onData = (chunk) => {
      seen += chunk;
      if (pattern.test(seen)) done();
    };
    const onExit = (code, signal) => done(new Error(`${what} exited (${signal ?? code}) before it was ready\n${seen}`));
    function done(error) {
      clearTimeout(timer);
      child[stream].off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(seen);
    }
    child[stream].on('data', onData);
    child.once('exit', onExit);
  });
}

/** Waits for a child to exit, killing it with `signal` (if still running). */
export function stopChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1, made with `openssl` in `dir` (which the
 * caller removes). Returns the files' paths: `{ ca, cert, key }`. Throws if openssl fails.
 */
export function makeCertificates(dir) {
  const file = (name) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(file('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  for (const args of [
    ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-subj', '/CN=pool test CA', '-days', '1',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    ['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1'],
    ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
      '-out', file('server.crt'), '-days', '1', '-extfile', file('ext.cnf')],
  ]) {
    const run = spawnSync('openssl', args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.error?.message ?? run.stderr}`);
  }
  return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') };
}

/**
 * Starts redis-server. `extra` adds config lines (e.g. ACL users); `tls` (`{ ca, cert, key }`
 * paths) makes it listen with TLS only, and its URL `rediss://`. Returns `{ url, port, pid,
 * stop(), restart() }`; `restart()` stops it by PID and starts it again, empty, on the same port.
 */
export async function startRedis({ port, extra = [], tls } = {}) {
  port ??= await freePort();
  const listen = tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.ca, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const args = [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', ...extra];
  const launch = async () => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    // Configuration errors (a redis-server built without TLS) go to stderr: keep them for the message.
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    await waitForLine(child, 'stdout', /Ready to accept connections/, 15_000, 'redis-server').catch((error) => {
      child.kill('SIGKILL');
      throw new Error(`${error.message}${errors}`);
    });
    child.stdout.resume();
    return child;
  };
  let child = await launch();
  return {
    url: `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid;
    },
    stop: () => stopChild(child, 'SIGKILL'),
    async restart() {
      await stopChild(child, 'SIGKILL');
      child = await launch();
    },
  };
}

/**
 * Starts one `pool-worker` host and resolves once it says it is ready. `args` are extra flags.
 * The host's log is kept in `host.log` (and echoed with `echo: true`); `env` adds environment variables.
 * `runtime` runs the command (Node by default), after `runtimeArgs` (Deno: `['run', '-A']`).
 */
export async function startHost({ url, group, module, concurrency = 2, args = [], echo = false, runtime = process.execPath, runtimeArgs = [], env = {} }) {
  const child = spawn(runtime, [...runtimeArgs, hostCommand, '--redis', url, '--group', group, '--module', module, '--concurrency', String(concurrency), ...args],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  child.stderr.setEncoding('utf8');
  const host = { child, pid: child.pid, log: '' };
  child.stderr.on('data', (chunk) => {
    host.log += chunk;
    if (echo) process.stderr.write(chunk);
  });
  await waitForLine(child, 'stderr', /ready: host/, 90_000, `pool-worker (${group})`);
  host.stop = (signal = 'SIGTERM') => stopChild(child, signal);
  return host;
}

/** Starts `count` hosts in parallel. */
export function startHosts(count, options) {
  return Promise.all(Array.from({ length: count }, () => startHost(options)));
}
