/**
 * Redis connections, the same on pools and hosts.
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
