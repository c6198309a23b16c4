/**
 * The type errors a user meets are short and name what is wrong: `type-errors/calls.ts` is
 * compiled with the test project's options, and each diagnostic is checked against the
 * `// error: /regex/` comment on its line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const file = `${here}type-errors/calls.ts`;

describe('type errors a user meets', () => {
  it('are one short message per wrong call, naming the task or the wrong value', () => {
    const config = ts.getParsedCommandLineOfConfigFile(`${here}tsconfig.json`, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
    })!;
    const program = ts.createProgram([file], { ...config.options, noEmit: true });
    const byLine = new Map<number, string[]>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      expect(d.file?.fileName, ts.flattenDiagnosticMessageText(d.messageText, '\n')).toBe(file);
      const line = d.file!.getLineAndCharacterOfPosition(d.start!).line + 1;
      byLine.set(line, [...(byLine.get(line) ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
    }
    const lines = readFileSync(file, 'utf8').split('\n');
    let expected = 0;
    lines.forEach((text, index) => {
      const line = index + 1;
      const marker = /\/\/ error: \/(.*)\/$/.exec(text);
      const got = byLine.get(line) ?? [];
      if (!marker) {
        expect(got, `line ${line} should compile: ${text.trim()}`).toEqual([]);
        return;
      }
      expected++;
      expect(got.length, `line ${line} should fail to compile: ${text.trim()}`).toBeGreaterThan(0);
      for (const message of got) {
        expect(message).toMatch(new RegExp(marker[1]!));
        expect(message.split('\n').length, message).toBeLessThanOrEqual(3);
        expect(message).not.toMatch(/No overload matches|AnyFunction|typeof import/);
      }
    });
    expect(expected).toBeGreaterThanOrEqual(9);
  });
});
