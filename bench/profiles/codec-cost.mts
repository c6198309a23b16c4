// What @pool/bullmq's codec costs a value: msgpackr's pack plus the round-trip check (decode
// again, compare), per kind of value, in this tree and, given one, in another checkout alongside
// (interleaved, medians of 7 rounds). A unit's arguments and every result pay it once.
//   ../node_modules/.bin/tsx profiles/codec-cost.mts [BEFORE_TREE]      (from bench/)
import { resolve } from 'node:path';

type Encode = (value: unknown, root?: string) => Uint8Array;
const here = new URL('../../adapters/bullmq/src/codec.ts', import.meta.url).pathname;
const trees: [string, Encode][] = [['this tree', (await import(here)).encode]];
if (process.argv[2]) trees.unshift([process.argv[2], (await import(resolve(process.argv[2], 'adapters/bullmq/src/codec.ts'))).encode]);

const values: Record<string, [unknown, number]> = {
  'a call: { kind, task, args: [5] }': [{ kind: 0, task: 'inc', args: [5] }, 20_000],
  '31,250 integers, as an array': [Array.from({ length: 31_250 }, (_, i) => i * 3), 40],
  '31,250 integers, packed (Int32Array)': [Int32Array.from({ length: 31_250 }, (_, i) => i * 3), 200],
  '5,000 small objects': [Array.from({ length: 5_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'], score: i / 7 })), 40],
  '20,000 strings': [Array.from({ length: 20_000 }, (_, i) => `line number ${i} of the file`), 40],
};
const time = (encode: Encode, value: unknown, n: number): number => {
  const start = performance.now();
  for (let i = 0; i < n; i++) encode(value);
  return ((performance.now() - start) / n) * 1000;
};
const median = (list: number[]): number => [...list].sort((a, b) => a - b)[list.length >> 1]!;
for (const [name, [value, n]] of Object.entries(values)) {
  for (const [, encode] of trees) for (let i = 0; i < 3; i++) time(encode, value, n); // compiled, warm
  const samples = trees.map((): number[] => []);
  for (let round = 0; round < 7; round++) for (const [t, [, encode]] of trees.entries()) samples[t]!.push(time(encode, value, n));
  console.log(`${name}: ${trees.map(([tree], t) => `${tree} ${median(samples[t]!).toFixed(1)} µs`).join(', ')}`);
}
