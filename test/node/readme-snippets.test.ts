/**
 * Docs that cannot drift: every code block in the README is a file in examples/snippets (whole,
 * or its `// #region readme` parts), and every snippet runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { hasRedisServer } from '../../adapters/bullmq/test/cluster.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const snippets = `${root}examples/snippets/`;
const readme = readFileSync(`${root}README.md`, 'utf8');

/** The README's fenced code blocks, each with the `<!-- snippet: … -->` line above it, if any. */
function blocks(text: string): Array<{ line: number; lang: string; body: string; snippet: string | undefined }> {
  const lines = text.split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    const marker = /^<!-- (?:snippet|example): (\S+) -->$/.exec(lines[i - 1] ?? '');
    found.push({ line: i + 1, lang: open[1]!, body: lines.slice(i + 1, end).join('\n'), snippet: marker?.[1] });
    i = end;
  }
  return found;
}

/** A snippet's text as the README shows it: the whole file, or its `#region readme` parts, dedented. */
function snippetText(ref: string): string {
  const [path, region] = ref.split('#');
  const text = readFileSync(`${root}${path}`, 'utf8').replace(/\n$/, '');
  if (!region) return text;
  const parts: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== `// #region ${region}`) continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === '// #endregion');
    const part = lines.slice(i + 1, end);
    const indent = Math.min(...part.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length));
    parts.push(...part.map((line) => line.slice(indent)));
    i = end;
  }
  if (parts.length === 0) throw new Error(`${path} has no '// #region ${region}'`);
  return parts.join('\n');
}

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(command, args, { cwd: snippets, encoding: 'utf8', timeout: 60_000 });
}

describe('README snippets', () => {
  it('every code block in README.md is a snippet file, word for word', () => {
    const all = blocks(readme);
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const block of all) {
      if (block.lang === 'text') continue;
      expect(block.snippet, `README.md:${block.line}: a ${block.lang} block with no <!-- snippet: … --> line above it`).toBeDefined();
      expect(block.body, `README.md:${block.line} differs from ${block.snippet}`).toBe(snippetText(block.snippet!));
    }
  });

  it('the JavaScript snippets run on Node', () => {
    for (const [file, output] of [
      ['usage.mjs', /^49\n\[ 1, 4, 9 \]$/],
      ['results.mjs', /^done 81$/],
      ['lifecycle.mjs', /^\[ 1, 4, 9 \]$/],
      ['cancellation.mjs', /^cancellation: ok$/],
      // Real Redis and two pool-worker hosts; .ci/run installs redis-server, and the bullmq run says loudly where it is missing.
      ...(hasRedisServer() || process.env['CI'] === 'true' ? [['cluster.mjs', /^\[ 1229, 1033, 983 \]$/] as const] : []),
    ] as const) {
      const result = run(process.execPath, [file]);
      expect(result.stderr, file).toBe('');
      expect(result.stdout.trim(), file).toMatch(output);
      expect(result.status, file).toBe(0);
    }
  }, 120_000);

  it('the TypeScript usage, with await using, type-checks and runs on Node (tsx) and Bun', () => {
    const config = ts.getParsedCommandLineOfConfigFile(`${root}test/tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram([`${snippets}usage.ts`], { ...config.options, noEmit: true });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
    for (const [command, args] of [[process.execPath, ['--import', 'tsx', 'usage.ts']], [`${root}node_modules/.bin/bun`, ['usage.ts']]] as const) {
      const result = run(command, [...args]);
      expect(result.stderr, command).toBe('');
      expect(result.stdout.trim(), command).toBe('49 [ 1, 4, 9 ]');
    }
  }, 120_000);

  it('the shell snippets name real packages and scripts', () => {
    const packages = ['core', 'node-worker', 'node-process', 'deno', 'bun'];
    const install = readFileSync(`${snippets}install.sh`, 'utf8');
    for (const name of install.match(/@pool\/[\w-]+/g)!) expect(packages, name).toContain(name.slice('@pool/'.length));
    expect(spawnSync('sh', ['-n', `${snippets}install.sh`]).status).toBe(0);
    const scripts = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts as Record<string, string>;
    for (const [, script] of readFileSync(`${snippets}quick-start.sh`, 'utf8').matchAll(/npm (?:run )?(\w+)/g)) {
      if (script !== 'ci') expect(Object.keys(scripts), script).toContain(script);
    }
  });
});
