// Which build of @pool was measured: the commit, uncommitted changes, and the dists' build times.
// Others may rebuild a package mid-run; a run that saw that says so instead of mixing builds silently.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const dists = ['packages/core', 'adapters/node-worker', 'adapters/node-process', 'adapters/deno', 'adapters/bun'];

function git(args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function buildStamp() {
  const built = {};
  for (const dir of dists) {
    try {
      built[dir] = statSync(new URL(`${dir}/dist/index.js`, root)).mtime.toISOString();
    } catch {
      built[dir] = null;
    }
  }
  const dirty = git(['status', '--porcelain', '--', ...dists]);
  return { commit: git(['rev-parse', '--short', 'HEAD']), uncommitted: dirty ? dirty.split('\n').length : 0, built };
}

/** Packages whose dist changed between two stamps. */
export function rebuiltBetween(before, after) {
  return dists.filter((dir) => before.built[dir] !== after.built[dir]);
}
