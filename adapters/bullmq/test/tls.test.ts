/**
 * TLS, as documented: a real redis-server listening with TLS only (a throwaway CA and server
 * certificate made with openssl at test time, loopback only), a pool given ioredis `tls` options
 * and a `pool-worker` given a `rediss://` URL (trusting the CA through NODE_EXTRA_CA_CERTS).
 * A redis-server built without TLS is said loudly, and fails the run under CI=true.
 */
import { Pool } from '@pool/core';
import { bullmq } from '@pool/bullmq';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates, startHost, startRedis, type Certificates, type HostProcess, type RedisServer } from './cluster.mjs';

const module = new URL('../../../test/fixtures/tasks.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pool-tls-'));
let certificates: Certificates;
let redis: RedisServer | undefined;
let host: HostProcess | undefined;
/** Why TLS could not be set up here, or `null`. */
let unavailable: string | null = null;

beforeAll(async () => {
  try {
    certificates = makeCertificates(dir);
    redis = await startRedis({ tls: certificates });
  } catch (error) {
    unavailable = (error as Error).message;
  }
});

afterAll(async () => {
  await host?.stop('SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('@pool/bullmq over TLS', () => {
  it('a pool (ioredis tls options) and a pool-worker (rediss:// URL) work through a TLS-only redis-server; an untrusted certificate is refused', async (context) => {
    if (unavailable !== null || !redis) {
      const bar = '!'.repeat(78);
      console.error(`\n${bar}\n!! @pool/bullmq TLS was NOT tested: redis-server or openssl cannot serve TLS here.\n!! ${unavailable}\n${bar}\n`);
      if (process.env['CI'] === 'true') throw new Error(`TLS cannot be tested: ${unavailable}`);
      return context.skip();
    }
    expect(redis.url).toMatch(/^rediss:\/\//);
    const group = `tls-${process.pid}`;
    host = await startHost({ url: redis.url, group, module, concurrency: 1, args: ['--heartbeat', '200'], env: { NODE_EXTRA_CA_CERTS: certificates.ca } });
    const ca = readFileSync(certificates.ca);
    const tls = { host: '127.0.0.1', port: redis.port };
    const pool = new Pool({ adapter: bullmq({ connection: { ...tls, tls: { ca } }, group, heartbeat: 200 }), module: 'tasks.mjs', processes: 2 });
    try {
      expect(await pool.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
    } finally {
      await pool.terminate();
    }
    // The same server without the CA: the certificate is checked, so the pool never reaches Redis.
    const untrusted = new Pool({
      adapter: bullmq({ connection: { ...tls, tls: {} }, group, heartbeat: 200, unavailableTimeout: 1_000 }), module: 'tasks.mjs', processes: 1,
    });
    try {
      const error = (await untrusted.apply('square', [2]).catch((e: unknown) => e)) as Error;
      expect(error.name).toBe('HostUnavailableError');
      expect(String((error.cause as Error | undefined)?.message)).toMatch(/certificate/i);
    } finally {
      await untrusted.terminate();
    }
  });
});
