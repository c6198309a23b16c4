// What the figures were measured on, and which runtimes are here.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { findChromium } from '../../test/web/browser.mjs';

const bench = new URL('../', import.meta.url);

function version(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).trim().split('\n')[0];
  } catch {
    return null;
  }
}

/** A runtime binary from node_modules/.bin (bench's, then the root's), else PATH. */
function binary(name) {
  for (const dir of ['node_modules/.bin/', '../node_modules/.bin/']) {
    const url = new URL(dir + name, bench);
    if (existsSync(url)) return url.pathname;
  }
  return name;
}

export function findRuntimes() {
  const deno = binary('deno');
  const bun = binary('bun');
  const versions = {
    node: process.version,
    deno: version(deno, ['--version'])?.replace(/^deno /, '').replace(/ .*/, '') ?? null,
    bun: version(bun, ['--version']),
    python: version('python3', ['--version'])?.replace(/^Python /, '') ?? null,
    chromium: (findChromium() && version(findChromium(), ['--version'])?.replace(/^Chromium /, '').replace(/ .*/, '')) ?? null,
  };
  const commands = {
    node: [process.execPath],
    deno: versions.deno && [deno, 'run', '-A', '--quiet'],
    bun: versions.bun && [bun],
    python: versions.python && ['python3'],
    chromium: versions.chromium && [findChromium()],
  };
  return { versions, commands };
}

export function describeMachine(versions) {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    ...versions,
  };
}
