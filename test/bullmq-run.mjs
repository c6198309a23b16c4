// `npm run test:bullmq`: the cluster part of the tests, on a real redis-server. Without one,
// says loudly that it did not run (and fails under CI=true, where .ci/run installs it).
import { spawnSync } from 'node:child_process';
import { hasRedisServer } from '../adapters/bullmq/test/cluster.mjs';

if (!hasRedisServer()) {
  const bar = '!'.repeat(78);
  console.error(`\n${bar}\n!! The @pool/bullmq cluster tests were NOT run: redis-server is not on PATH.\n!! Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis)\n!! and run npm test again.\n${bar}\n`);
  process.exit(process.env.CI === 'true' ? 1 : 0);
}
const started = Date.now();
const run = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.bullmq.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
console.log(`@pool/bullmq cluster tests: ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(run.status ?? 1);
