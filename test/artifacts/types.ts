// TypeScript against the published `.d.ts` files, as a user's project compiles them (nodenext).

import { bunWorkers } from '@pool/bun';
import { inline, type Pool, type PoolOptions, TaskNotFoundError } from '@pool/core';
import type { WorkerPort } from '@pool/core/worker';
import { denoWorkers } from '@pool/deno';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';

interface Tasks {
  square: (x: number) => number;
  greet: (name: string) => Promise<string>;
}

export const adapters: PoolOptions['adapter'][] = [
  inline(),
  nodeWorkers(),
  nodeProcesses({ killTimeout: 10 }),
  denoWorkers(),
  bunWorkers(),
];
export async function use(pool: Pool<Tasks>): Promise<[number[], string]> {
  // @ts-expect-error: not a task of the module
  void pool.apply('sqare', [7]);
  // @ts-expect-error: wrong argument type
  void pool.map('square', ['a']);
  return [await pool.map('square', [1, 2]), await pool.apply('greet', ['you'])];
}
export const notFound: Error = new TaskNotFoundError('x');
export type Port = WorkerPort;
