/**
 * The README's service examples are code CI runs: each block marked `<!-- example: path -->` is
 * that file verbatim, and each file runs to completion under Node.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const blocks = [...readme.matchAll(/<!-- example: (\S+) -->\n```js\n([\s\S]*?)```/g)].map(([, path, code]) => ({ path: path!, code: code! }));
const files = readdirSync(new URL('examples/service/', root)).filter((name) => name.endsWith('.mjs') && name !== 'tasks.mjs');

function run(path: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [fileURLToPath(new URL(path, root))], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('README: running a pool in a service', () => {
  it('shows every example in examples/service, each verbatim', () => {
    expect(blocks.map((block) => block.path).sort()).toEqual(files.map((name) => `examples/service/${name}`).sort());
    for (const { path, code } of blocks) expect(code).toBe(readFileSync(new URL(path, root), 'utf8'));
  });

  for (const name of files) {
    it(`examples/service/${name} runs to completion`, async () => {
      const { code, stderr } = await run(`examples/service/${name}`);
      expect(stderr).not.toMatch(/Error/);
      expect(code).toBe(0);
    });
  }
});
