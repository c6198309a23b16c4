#!/usr/bin/env node
/**
 * `npm run soak -- [calls]`: the soak case alone, at `calls` per adapter (default 100,000), on
 * every adapter under Node, Deno and Bun. Add `--node`, `--deno` or `--bun` to run one runtime.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const size = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const only = args.filter((a) => a.startsWith('--')).map((a) => a.slice(2));
const cwd = fileURLToPath(new URL('.', import.meta.url));
const env = { ...process.env, POOL_SOAK_SIZE: String(size), POOL_TEST_FILTER: 'tiny calls', POOL_TEST_TIMEOUT: '3600000' };
const runs = {
  node: ['npx', ['vitest', 'run', 'node.test', 'queue', '-t', 'tiny calls', '--testTimeout', '0']],
  deno: ['npx', ['deno', 'test', '-A', '--no-check', '--sloppy-imports', '--unstable-worker-options', 'deno.test.ts']],
  bun: ['npx', ['bun', 'test', '--timeout', '0', '-t', 'tiny calls', './bun.test.ts']],
};
let failed = false;
for (const [runtime, [command, argv]] of Object.entries(runs)) {
  if (only.length > 0 && !only.includes(runtime)) continue;
  console.log(`\n== soak: ${size} calls per adapter on ${runtime}`);
  const started = Date.now();
  const run = spawnSync(command, argv, { cwd, env, stdio: 'inherit' });
  console.log(`== ${runtime}: ${run.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  failed ||= run.status !== 0;
}
process.exit(failed ? 1 : 0);
