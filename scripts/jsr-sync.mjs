/**
 * Keeps each package's jsr.json in step with its package.json (name, version, license), which
 * changesets versions. `node scripts/jsr-sync.mjs` writes them (run by `npm run release:version`);
 * `--check` only reports a difference and fails (run by `npm test`).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const packages = ['packages/core', 'adapters/node-worker', 'adapters/node-process', 'adapters/deno', 'adapters/bun'];
const check = process.argv.includes('--check');
const root = new URL('../', import.meta.url);
let stale = 0;

for (const dir of packages) {
  const pkg = JSON.parse(readFileSync(new URL(`${dir}/package.json`, root), 'utf8'));
  const jsrFile = new URL(`${dir}/jsr.json`, root);
  const jsr = JSON.parse(readFileSync(jsrFile, 'utf8'));
  const wrong = ['name', 'version', 'license'].filter((key) => jsr[key] !== pkg[key]);
  if (wrong.length === 0) continue;
  stale++;
  if (check) {
    console.error(`${dir}/jsr.json: ${wrong.map((key) => `${key} ${jsr[key]} ≠ package.json's ${pkg[key]}`).join(', ')}`);
  } else {
    for (const key of wrong) jsr[key] = pkg[key];
    writeFileSync(jsrFile, `${JSON.stringify(jsr, null, 2)}\n`);
    console.log(`${dir}/jsr.json: ${wrong.join(', ')} from package.json`);
  }
}
if (check && stale > 0) {
  console.error('Run `node scripts/jsr-sync.mjs` to bring jsr.json in step with package.json.');
  process.exit(1);
}
