/** Custom error classes survive the trip: registerError() on both sides. */
import { registerError } from '@pool/core';
import type { Harness } from '../harness.js';
import { fixture, rejection, thrown, withPool } from '../harness.js';

type ErrorClass<F> = (new (...args: never[]) => Error & F) & { prototype: Error & F };
/** The error classes `fixtures/service-tasks.mjs` exports. */
type ServiceTasks = {
  HttpError: ErrorClass<{ status: number; readonly retryable: boolean }>;
  QuotaError: ErrorClass<{ limit: number }>;
  ParseFailure: ErrorClass<{ at: number }>;
};

export default function customErrors(h: Harness): void {
  const { describe, it, expect } = h;
  const module = fixture('service-tasks.mjs');
  // These cases load their own task module: where workers serve a module of their own (a queue's
  // hosts), the pool's `module` only names it, so they cannot run there.
  if (!h.supports.loadsModule || h.supports.bareImports === false) return;

  describe('custom error classes', () => {
    it('a registered class comes back as an instance of itself, with its fields and getters', async () => {
      const { HttpError } = (await import(module.href)) as ServiceTasks;
      expect(registerError(HttpError)).toBe(HttpError);
      await withPool(h, { module }, async (pool) => {
        const error = (await rejection(pool.apply('throwHttp', [503]))) as InstanceType<typeof HttpError>;
        expect(error).toBeInstanceOf(HttpError);
        expect(error).toBeInstanceOf(Error);
        expect(error.name).toBe('HttpError');
        expect(error.message).toBe('upstream failed');
        expect(error.status).toBe(503);
        expect(error.retryable).toBe(true);
        expect(typeof error.stack).toBe('string');
      });
    });

    it('a class registered by the caller alone is revived too; unregistered ones keep their built-in base', async () => {
      const { QuotaError } = (await import(module.href)) as ServiceTasks;
      await withPool(h, { module }, async (pool) => {
        const before = await rejection(pool.apply('throwQuota', [7]));
        if (!(before instanceof QuotaError)) {
          expect(before).toBeInstanceOf(RangeError);
          expect((before as Error).name).toBe('QuotaError');
        }
        registerError(QuotaError);
        const error = (await rejection(pool.apply('throwQuota', [7]))) as InstanceType<typeof QuotaError>;
        expect(error).toBeInstanceOf(QuotaError);
        expect(error).toBeInstanceOf(RangeError);
        expect(error.limit).toBe(7);
      });
    });

    it('a class registered under a name that is not its own (a minified class) comes back as itself', async () => {
      const { ParseFailure } = (await import(module.href)) as ServiceTasks;
      expect(ParseFailure.name).toBe('t');
      registerError(ParseFailure, 'ParseFailure');
      await withPool(h, { module }, async (pool) => {
        const error = (await rejection(pool.apply('throwParse', [3]))) as InstanceType<typeof ParseFailure>;
        expect(error).toBeInstanceOf(ParseFailure);
        expect([error.message, error.at]).toEqual(['bad input at 3', 3]);
      });
    });

    it('registerError refuses what is not an Error class', () => {
      expect(thrown(() => registerError(class NotAnError {} as never))).toBeInstanceOf(TypeError);
      expect(thrown(() => registerError(42 as never))).toBeInstanceOf(TypeError);
      expect(thrown(() => registerError(class extends TypeError {}, 'TypeError'))).toBeInstanceOf(TypeError);
    });
  });
}
