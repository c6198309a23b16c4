/**
 * "Use it from a clone", as the README says it: the commands of examples/snippets/from-a-clone.sh
 * pack the packages and install the tarballs into fresh projects with npm and with Bun, offline,
 * and a small script runs there. (Its `npm ci && npm run build` line is what `npm test` did first.)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const snippets = `${root}examples/snippets/`;
const work = mkdtempSync(join(tmpdir(), 'pool-install-'));
const packs = join(work, 'pool-packs');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The snippet's command that starts with `start`, with its `../pool-packs` made absolute. */
function command(start: string): string[] {
  const line = readFileSync(`${snippets}from-a-clone.sh`, 'utf8').split('\n').find((l) => l.startsWith(start));
  if (!line) throw new Error(`from-a-clone.sh has no '${start}' line`);
  return line.replaceAll('../pool-packs', packs).split(/\s+/);
}

function sh(argv: string[], cwd: string, env: Record<string, string> = {}): string {
  const [bin, ...args] = argv;
  const result = spawnSync(bin === 'bun' ? `${root}node_modules/.bin/bun` : bin!, args, {
    cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env },
  });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function project(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  cpSync(`${snippets}tasks.js`, join(dir, 'tasks.js'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  return dir;
}

describe('installing the packed tarballs into a fresh project', () => {
  it('packs every package', () => {
    sh(command('mkdir'), root);
    sh(command('npm pack'), root);
    expect(readFileSync(join(packs, 'pool-core-0.1.0.tgz')).length).toBeGreaterThan(1000);
  }, 120_000);

  it('npm installs core and an adapter offline, and a script runs', () => {
    const dir = project('npm-project');
    sh([...command('npm install'), '--offline', '--no-audit', '--no-fund'], dir);
    cpSync(`${snippets}usage.mjs`, join(dir, 'usage.mjs'));
    expect(sh([process.execPath, 'usage.mjs'], dir).trim()).toBe('49\n[ 1, 4, 9 ]');
  }, 180_000);

  it('Bun installs core and its adapter offline, from the tarballs alone, and a script runs', () => {
    const dir = project('bun-project');
    // Nothing listens there: any registry lookup fails instead of reaching the network.
    sh(command('bun add'), dir, { BUN_CONFIG_REGISTRY: 'http://127.0.0.1:9/' });
    writeFileSync(join(dir, 'main.ts'), [
      "import { Pool } from '@pool/core';",
      "import { bunWorkers } from '@pool/bun';",
      "await using pool = new Pool<typeof import('./tasks.js')>({ adapter: bunWorkers(), module: new URL('./tasks.js', import.meta.url), processes: 2 });",
      "console.log(await pool.map('square', [1, 2, 3]));",
    ].join('\n'));
    expect(sh(['bun', 'main.ts'], dir).trim()).toBe('[ 1, 4, 9 ]');
  }, 180_000);

  it('npm installs @pool/bullmq with core and the Node adapters offline: one core, and the host command runs', () => {
    const dir = project('bullmq-project');
    sh([...command('npm install ../pool-packs/pool-core-0.1.0.tgz ../pool-packs/pool-node-worker-0.1.0.tgz ../pool-packs/pool-node-process'), '--offline', '--no-audit', '--no-fund'], dir);
    // core is a peer of every adapter: one copy, so one error registry and one Pool class.
    expect(sh(['npm', 'ls', '@pool/core', '--parseable'], dir).trim().split('\n')).toEqual([join(dir, 'node_modules/@pool/core')]);
    const help = spawnSync(join(dir, 'node_modules/.bin/pool-worker'), ['--help'], { cwd: dir, encoding: 'utf8' });
    expect(help.stdout + help.stderr).toMatch(/Usage: pool-worker/);
  }, 180_000);
});
