/**
 * Redis connections, the same on pools and hosts.
 * @module
 */
import { Redis, type RedisOptions } from 'ioredis';

/** A connection that waits out Redis restarts (BullMQ needs `maxRetriesPerRequest: null`). */
export function connect(connection: string | RedisOptions): Redis {
  const base: RedisOptions = { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(50 * times, 500) };
  return typeof connection === 'string' ? new Redis(connection, base) : new Redis({ ...connection, ...base });
}
