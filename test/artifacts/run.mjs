/**
 * Checks the artifacts users install, not the workspace: packs every package (`npm pack`),
 * installs the five tarballs together into a fresh project in a temporary folder (offline: the
 * tarballs are the only source), and there runs the scripts of this folder on Node (ESM and
 * CommonJS, on the host's Node and on Node 22 and 24), on Deno (`npm:` specifiers, resolved
 * from the project's node_modules), on Bun, and compiles `types.ts` against the published `.d.ts`.
 * Run after `npm run build`; `npm test` does.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const require = createRequire(import.meta.url);
const nodeBinary = (major) => join(dirname(require.resolve(`node${major}/package.json`)), 'bin', 'node');
const packages = ['packages/core', 'adapters/node-worker', 'adapters/node-process', 'adapters/deno', 'adapters/bun'];

const temp = mkdtempSync(join(tmpdir(), 'pool-artifacts-'));
const project = join(temp, 'project');
const run = (what, file, args, cwd = project, stdout = 'inherit') => {
  const started = Date.now();
  try {
    execFileSync(file, args, { cwd, stdio: ['ignore', stdout, 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  } catch (error) {
    console.error(`\nArtifact check failed: ${what} (${file} ${args.join(' ')}, in ${cwd}; the project is left there)`);
    process.exit(typeof error.status === 'number' && error.status !== 0 ? error.status : 1);
  }
  console.log(`  ✓ ${what} (${Date.now() - started} ms)`);
};

console.log(`Packing ${packages.length} packages into ${temp}`);
const workspaces = packages.map((dir) => `--workspace=${dir}`);
run('npm pack, every package', 'npm', ['pack', '--silent', '--pack-destination', temp, ...workspaces], root, 'ignore');
const tarballs = readdirSync(temp)
  .filter((name) => name.endsWith('.tgz'))
  .map((name) => join(temp, name));
if (tarballs.length !== packages.length) throw new Error(`Expected ${packages.length} tarballs, found ${tarballs.length}`);

mkdirSync(project);
writeFileSync(
  join(project, 'package.json'),
  `${JSON.stringify({ name: 'pool-artifacts-check', private: true, type: 'module' }, null, 2)}\n`,
);
for (const name of ['tasks.mjs', 'check.mjs', 'node.mjs', 'node.cjs', 'deno.ts', 'bun.ts', 'types.ts'])
  copyFileSync(join(here, name), join(project, name));
writeFileSync(
  join(project, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      skipLibCheck: false,
      lib: ['es2023', 'esnext.disposable'],
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
    },
    files: ['types.ts'],
  }),
);
// Core is a dependency of every adapter: installing the tarballs together satisfies it from its own.
run('npm install of the tarballs, offline', 'npm', [
  'install',
  '--offline',
  '--no-audit',
  '--no-fund',
  '--no-package-lock',
  '--ignore-scripts',
  ...tarballs,
]);

for (const [label, node] of [
  [`host Node ${process.version}`, process.execPath],
  ['Node 22', nodeBinary(22)],
  ['Node 24', nodeBinary(24)],
]) {
  run(`${label}: import (ESM)`, node, ['node.mjs']);
  run(`${label}: require (CommonJS)`, node, ['node.cjs']);
}
run('Deno: npm: specifiers from node_modules, no network (--cached-only)', bin('deno'), ['run', '-A', '--cached-only', 'deno.ts']);
run('Bun: bare specifiers', bin('bun'), ['bun.ts']);
run('TypeScript (nodenext, strict, no skipLibCheck) against the published .d.ts', process.execPath, [
  join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  '-p',
  project,
]);

rmSync(temp, { recursive: true, force: true });
console.log('The packed artifacts install offline and work on Node (ESM, CJS), Deno and Bun.');
