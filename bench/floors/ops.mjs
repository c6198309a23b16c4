// The floors' wire format: [op, arg] → result. The least a pool must say: which task, what input.
import { fib, inc, incChunk, noop } from '../tasks/tasks.mjs';

export const opCodes = { inc: 0, noop: 1, fib: 2, incChunk: 3 };
const table = [inc, noop, fib, incChunk];
export const runOp = (message) => table[message[0]](message[1]);
