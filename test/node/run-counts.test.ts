/** The test runner's counting (run-counts.mjs): what each runner's report says ran, per adapter. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain script without types
import { checkPassTables, countBun, countDeno, countVitest } from '../run-counts.mjs';

const deno = [
  'running 1 test from ./deno.test.ts',
  '@pool conformance: denoWorkers ...',
  '  apply and map ...',
  '    apply runs a task ... ok (6ms)',
  '    map fails ... FAILED (2ms)',
  '  apply and map ... FAILED (9ms)',
  '  crashes ...',
  '    a worker dies loudly ...error: Uncaught (in worker "x") Error: nobody caught me',
  '    at somewhere',
  ' ok (152ms)',
  '  crashes ... ok (160ms)',
  '@pool conformance: denoWorkers ... FAILED (1s)',
  'other ... ok (1ms)',
  'ok | 1 passed (4 steps) | 1 failed (1s)',
].join('\n');

describe('run-counts', () => {
  it('counts Deno leaves per adapter, groups excluded, a result cut by printed output included', () => {
    const counts = countDeno(deno);
    expect(counts).toMatchObject({ passed: 3, failed: 1, skipped: 0 });
    expect(counts.byAdapter).toEqual({ denoWorkers: { passed: 2, failed: 1, skipped: 0 } });
  });

  it('counts Bun tests once, though a failure is listed again in the summary', () => {
    const counts = countBun([
      '(pass) @pool conformance: bunWorkers > a > b [1.00ms]',
      '(fail) @pool conformance: inline > c [2.00ms]',
      '2 tests failed:',
      '(fail) @pool conformance: inline > c [2.00ms]',
      '(pass) TypeScript task module: bunWorkers > loads [3.00ms]',
    ].join('\n'));
    expect(counts).toMatchObject({ passed: 2, failed: 1 });
    expect(counts.byAdapter).toEqual({ bunWorkers: { passed: 1, failed: 0, skipped: 0 }, inline: { passed: 0, failed: 1, skipped: 0 } });
  });

  it('counts vitest JSON results', () => {
    const counts = countVitest({ testResults: [{ assertionResults: [
      { ancestorTitles: ['@pool conformance: nodeWorkers', 'x'], title: 'y', status: 'passed' },
      { ancestorTitles: ['other'], title: 'z', status: 'skipped' },
    ] }] });
    expect(counts).toMatchObject({ passed: 1, failed: 0, skipped: 1 });
  });

  it('finds a README pass table that claims more, or less, than ran', () => {
    const ran = (names: string[]) => ({ byAdapter: Object.fromEntries(names.map((n) => [n, { passed: 5, failed: 0, skipped: 0 }])) });
    const results = { node: ran(['inline', 'nodeWorkers']), deno: ran(['inline', 'denoWorkers']), bun: ran(['inline', 'bunWorkers']) };
    const readme = [
      '| runtime | inline | nodeWorkers | denoWorkers | bunWorkers |',
      '|---|---|---|---|---|',
      '| Node 20 | ✓ | ✓ | — | — |',
      '| Deno 2 | ✓ | — | ✓ | — |',
      '| Bun 1 | ✓ | ✓ | — | ✓ |',
    ].join('\n');
    const bunReadme = '| `bunWorkers()` | passes |\n| `inline()` | fails sometimes |\nTwo suite cases fail on every adapter';
    expect(checkPassTables(results, { readme, bunReadme })).toEqual([
      'README.md says nodeWorkers passes under Bun 1, but it did not run',
      'adapters/bun/README.md says "fails sometimes" for inline() under Bun, but it passes',
      'adapters/bun/README.md says suite cases fail under Bun, but none did',
    ]);
  });
});
