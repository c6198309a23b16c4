/**
 * A task's own error classes cross two trips (task worker → host's local pool → Redis → pool) and
 * still arrive as themselves, as on local adapters: the host has not loaded the task module, so
 * its local pool revives them without their class, and must send them on with its name.
 */
import { Pool, registerError } from '@pool/core';
import { bullmq } from '@pool/bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHost, type HostProcess } from './cluster.mjs';

const module = new URL('../../../test/fixtures/service-tasks.mjs', import.meta.url);
const url = inject('redisUrl');
const group = `errors-${process.pid}`;
let host: HostProcess;
let pool: Pool;

type ErrorClass<F> = (new (...args: never[]) => Error & F) & { prototype: Error & F };
const { HttpError, QuotaError } = (await import(module.href)) as {
  HttpError: ErrorClass<{ status: number; readonly retryable: boolean }>;
  QuotaError: ErrorClass<{ limit: number }>;
};

beforeAll(async () => {
  host = await startHost({ url, group, module: module.pathname, concurrency: 1, args: ['--heartbeat', '200'] });
  pool = new Pool({ adapter: bullmq({ connection: url, group, heartbeat: 200 }), module: 'service-tasks.mjs', processes: 2 });
});

afterAll(async () => {
  await pool?.terminate();
  await host?.stop('SIGKILL');
});

describe('@pool/bullmq: registered error classes', () => {
  it('a class registered in the task module and by the caller comes back as itself, with its fields', async () => {
    registerError(HttpError);
    const error = (await pool.apply('throwHttp', [503]).catch((e: unknown) => e)) as InstanceType<typeof HttpError>;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.name).toBe('HttpError');
    expect(error.message).toBe('upstream failed');
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
  });

  it('a class registered by the caller alone comes back as itself, on its built-in base', async () => {
    registerError(QuotaError);
    const error = (await pool.apply('throwQuota', [7]).catch((e: unknown) => e)) as InstanceType<typeof QuotaError>;
    expect(error).toBeInstanceOf(QuotaError);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.limit).toBe(7);
  });

  it('inside a map chunk too: the failing item is an instance of its class', async () => {
    const error = await pool.map('throwHttp', [500, 501], { chunksize: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as InstanceType<typeof HttpError>).status).toBe(500);
  });
});
