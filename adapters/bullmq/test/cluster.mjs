// A local cluster for tests, benchmarks and the example: a real redis-server on 127.0.0.1 (a
// free port, no persistence) and real `pool-worker` host processes. Everything is stopped by PID.
// Readiness is awaited on what the processes print, never on a sleep.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
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
 * Starts redis-server. `extra` adds config lines (e.g. ACL users). Returns `{ url, port, pid,
 * stop(), restart() }`; `restart()` stops it by PID and starts it again, empty, on the same port.
 */
export async function startRedis({ port, extra = [] } = {}) {
  port ??= await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', ...extra];
  const launch = async () => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    await waitForLine(child, 'stdout', /Ready to accept connections/, 15_000, 'redis-server');
    child.stdout.resume();
    return child;
  };
  let child = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
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
 * The host's log is kept in `host.log` (and echoed with `echo: true`).
 */
export async function startHost({ url, group, module, concurrency = 2, args = [], echo = false, runtime = process.execPath }) {
  const child = spawn(runtime, [hostCommand, '--redis', url, '--group', group, '--module', module, '--concurrency', String(concurrency), ...args],
    { stdio: ['ignore', 'ignore', 'pipe'] });
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
