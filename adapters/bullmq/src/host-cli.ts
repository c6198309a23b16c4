#!/usr/bin/env node
/**
 * `pool-worker`: a host of a @pool/bullmq group. A thin command line around {@link Host}.
 * Logs one line per event to stderr; SIGTERM / SIGINT stop it gracefully (a second one at once).
 * Exit codes: 0 stopped, 1 bad module or Redis setup, 2 bad arguments.
 * @module
 */
import { availableParallelism } from 'node:os';
import { protocolVersion } from '@pool/core';
import { maxTimerMs } from '@pool/core/executor';
import { Host, HostStartError, executors, type HostOptions } from './host.js';

const usage = `Usage: pool-worker --redis URL --group NAME --module PATH [options]

  --redis URL               Redis URL (redis://user:pass@host:6379/0, rediss:// for TLS); default $POOL_REDIS_URL
  --group NAME              the group of pools this host serves
  --module PATH             the task module: its exports are the tasks
  --module-sha256 HEX       refuse to start unless the module has this sha256
  --concurrency N           local workers (default: available parallelism)
  --executor threads|processes|inline
                            local workers are threads (default), child processes, or inline:
                            tasks on this host's own event loop, as a BullMQ in-process
                            processor (no hop, no isolation: for short or I/O-bound tasks)
  --max-tasks-per-child N   retire a local worker after N units (a pool's own setting wins)
  --start-timeout MS        a local worker not ready after MS (its module or a pool's initializer
                            still running) fails: at start the host exits 1, later the pool's
                            calls fail with BrokenPoolError (default: no limit)
  --prefix NAME             Redis key prefix (default pool)
  --lock-duration MS        a host silent this long is taken for dead (default 30000)
  --stalled-interval MS     how often dead hosts' units are looked for (default lock-duration / 2)
  --heartbeat MS            how often this host says it is alive (default 1000)
  --grace MS                on SIGTERM, how long running units may finish; then the rest are
                            stopped and handed back to other hosts, and the host exits (default 30000)
  --connect-timeout MS      at start, exit 1 if Redis cannot be reached within MS (default 10000);
                            a login Redis refuses exits 1 at once; once up, outages are waited out
  --verbose                 one line per unit too
`;

function fail(message: string): never {
  process.stderr.write(`pool-worker: ${message}\n\n${usage}`);
  process.exit(2);
}

const isExecutor = (name: string): name is HostOptions['executor'] => Object.hasOwn(executors, name);

function parse(argv: readonly string[]): HostOptions {
  const flags = new Map<string, string>();
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(usage);
      process.exit(0);
    }
    if (arg === '--verbose') {
      verbose = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const [name, value] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, argv[++i]];
    if (!name.startsWith('--') || value === undefined) fail(`unexpected argument '${arg}'`);
    flags.set(name.slice(2), value);
  }
  const known = ['redis', 'group', 'module', 'module-sha256', 'concurrency', 'executor', 'max-tasks-per-child', 'prefix',
    'lock-duration', 'stalled-interval', 'heartbeat', 'grace', 'connect-timeout', 'start-timeout', 'protocol'];
  for (const name of flags.keys()) if (!known.includes(name)) fail(`unknown option --${name}`);
  // At most what a timer keeps (2³¹ − 1 ms): past it, runtimes fire at once, so a long --grace
  // would be none and a long --heartbeat a flood. bullmq() takes its times within the same bound.
  const int = (name: string, fallback: number | null): number | null => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > maxTimerMs) fail(`--${name} must be an integer from 1 to ${maxTimerMs}, got '${raw}'`);
    return value;
  };
  const redis = flags.get('redis') ?? process.env['POOL_REDIS_URL'];
  if (!redis) fail('--redis URL (or POOL_REDIS_URL) is required');
  const group = flags.get('group');
  if (!group || !/^[A-Za-z0-9_.-]{1,100}$/.test(group)) fail('--group NAME is required: letters, digits, _ - .');
  const module = flags.get('module');
  if (!module) fail('--module PATH is required');
  const executor = flags.get('executor') ?? 'threads';
  if (!isExecutor(executor)) {
    const names = Object.keys(executors);
    fail(`--executor must be ${names.slice(0, -1).join(', ')} or ${names.at(-1)}, got '${executor}'`);
  }
  const sha = flags.get('module-sha256') ?? null;
  if (sha !== null && !/^[0-9a-f]{64}$/i.test(sha)) fail('--module-sha256 must be 64 hex digits');
  const prefix = flags.get('prefix') ?? 'pool';
  // As bullmq({ prefix }) takes it: a host under another prefix would serve no pool.
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(prefix)) fail(`--prefix NAME: letters, digits, _ - . (as bullmq({ prefix })), got '${prefix}'`);
  const lockDuration = int('lock-duration', 30_000)!;
  return {
    connection: redis, group, module, moduleSha256: sha, executor,
    prefix,
    concurrency: int('concurrency', availableParallelism())!,
    maxTasksPerChild: int('max-tasks-per-child', null),
    startTimeout: int('start-timeout', null),
    lockDuration,
    stalledInterval: int('stalled-interval', Math.max(1, Math.floor(lockDuration / 2)))!,
    heartbeat: int('heartbeat', 1000)!,
    grace: int('grace', 30_000)!,
    connectTimeout: int('connect-timeout', 10_000)!,
    // For tests of version skew: a host that speaks another protocol.
    protocol: int('protocol', protocolVersion)!,
    verbose,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  let host: Host;
  try {
    host = await Host.start(options);
  } catch (error) {
    options.log(`pool-worker: cannot start: ${error instanceof HostStartError ? error.message : String(error)}`);
    process.exit(1);
  }
  let signals = 0;
  const onSignal = (signal: string): void => {
    if (++signals > 1) {
      options.log(`pool-worker ${host.id}: ${signal} again: exiting now; running units go back to the queue when their lock runs out`);
      process.exit(1);
    }
    options.log(`pool-worker ${host.id}: ${signal}`);
    void host.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

void main();
