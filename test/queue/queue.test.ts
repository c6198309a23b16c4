/**
 * Core's `Queue` (the executors' waiting units) against a plain array: any sequence of pushes,
 * shifts, put-backs and removals, long enough to compact the queue many times, leaves both equal.
 */
import { Queue } from '@pool/core/executor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

type Op =
  | { op: 'push'; count: number }
  | { op: 'shift'; count: number }
  | { op: 'unshift'; count: number }
  | { op: 'remove'; modulo: number }
  | { op: 'clear' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('push' as const), count: fc.integer({ min: 1, max: 3000 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('shift' as const), count: fc.integer({ min: 1, max: 3000 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unshift' as const), count: fc.integer({ min: 0, max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), modulo: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('Queue', () => {
  it('matches an array under any sequence of push, shift, unshift, remove and clear, across compactions', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
      const queue = new Queue<number>();
      const model: number[] = [];
      let next = 0;
      for (const step of ops) {
        switch (step.op) {
          case 'push':
            for (let i = 0; i < step.count; i++, next++) {
              queue.push(next);
              model.push(next);
            }
            break;
          case 'shift': {
            const got = Array.from({ length: step.count }, () => queue.shift());
            expect(got).toEqual(Array.from({ length: step.count }, () => model.shift()));
            break;
          }
          case 'unshift': {
            const back = Array.from({ length: step.count }, () => next++);
            queue.unshift(back);
            model.unshift(...back);
            break;
          }
          case 'remove': {
            const drop = (x: number) => x % step.modulo === 0;
            expect(queue.remove(drop)).toEqual(model.filter(drop));
            model.splice(0, model.length, ...model.filter((x) => !drop(x)));
            break;
          }
          case 'clear':
            expect(queue.clear()).toEqual(model.splice(0));
            break;
        }
        expect(queue.length).toBe(model.length);
      }
      expect(queue.clear()).toEqual(model);
      expect(queue.length).toBe(0);
      expect(queue.shift()).toBeUndefined();
    }), { numRuns: 200 });
  });
});
