/**
 * Redis connections, the same on pools and hosts, and how their commands fail: a refusal that
 * stands, a login refused, a moment out of memory to wait out.
 * @module
 */
import { Redis, type RedisOptions } from 'ioredis';

/**
 * A connection that waits out Redis restarts: BullMQ needs `maxRetriesPerRequest: null`, which is
 * always set; the reconnect delay is the caller's `retryStrategy` where given, else 50 ms a try up to 500.
 */
export function connect(connection: string | RedisOptions): Redis {
  const base: RedisOptions = { retryStrategy: (times) => Math.min(50 * times, 500) };
  return typeof connection === 'string'
    ? new Redis(connection, { ...base, maxRetriesPerRequest: null })
    : new Redis({ ...base, ...connection, maxRetriesPerRequest: null });
}

/**
 * Whether Redis refused a command for what it carries (a value over `proto-max-bulk-len`, no
 * memory left under `maxmemory`, an ACL), rather than for a passing state of the server, which
 * a later try may get past, or a lost connection.
 */
export function isRefusal(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError' && !/^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|NOAUTH|MOVED|ASK)\b/.test(error.message);
}

/** A lost or refused connection (`ECONNREFUSED`, `ECONNRESET`, …; ioredis's "Connection is closed."), not a command's failure. */
export function isConnectionError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && /^E[A-Z]+$/.test(code)) || error.message === 'Connection is closed.';
}

/** A login Redis refuses: retrying it with the same credentials cannot help. */
export function isLoginRefused(error: Error): boolean {
  return error.name === 'ReplyError' && /^(WRONGPASS|NOAUTH)\b|^ERR invalid password/.test(error.message);
}

/**
 * Runs `attempt` (which resolves with Redis's refusal, or `null`) again while Redis is out of
 * memory, after 0.1, 0.2 … 1.6 s: a refused big request holds memory on the server for a moment.
 * Stops early, with `null`, once `wanted()` is false. Resolves with the refusal that stands.
 */
export async function patiently(attempt: () => Promise<Error | null>, wanted: () => boolean = () => true): Promise<Error | null> {
  let refused = await attempt();
  for (let wait = 100; refused?.message.startsWith('OOM') && wait <= 1_600; wait *= 2) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    if (!wanted()) return null;
    refused = await attempt();
  }
  return refused;
}

/** Whether `promise` settles (either way) within `ms`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = await Promise.race([promise.then(() => true, () => true), late]);
  clearTimeout(timer);
  return settled;
}
