// Counting what each runner ran, per adapter, from its own report; and checking the READMEs'
// pass tables against those counts. Used by run.mjs; tested by node/run-counts.test.ts.

const suite = /^@pool conformance: (\S+)$/;

function tally(cases) {
  const counts = { passed: 0, failed: 0, skipped: 0, byAdapter: {} };
  for (const { path, status } of cases) {
    counts[status]++;
    const adapter = suite.exec(path[0] ?? '')?.[1];
    if (!adapter) continue;
    const entry = (counts.byAdapter[adapter] ??= { passed: 0, failed: 0, skipped: 0 });
    entry[status]++;
  }
  return counts;
}

/** vitest's JSON report. */
export function countVitest(report) {
  const cases = [];
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      const status = test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped';
      cases.push({ path: [...test.ancestorTitles, test.title], status });
    }
  }
  return tally(cases);
}

/** `bun test` output: one `(pass) a > b > c` line per test. */
export function countBun(text) {
  const cases = [];
  for (const line of text.split('\n')) {
    const match = /^\((pass|fail|skip|todo)\) (.*?)(?: \[[\d.]+m?s\])?$/.exec(line.trim());
    if (!match) continue;
    const status = match[1] === 'pass' ? 'passed' : match[1] === 'fail' ? 'failed' : 'skipped';
    cases.push({ path: match[2].split(' > '), status });
  }
  // A failing test is listed again in the closing summary: count each once.
  const seen = new Map();
  for (const c of cases) seen.set(`${c.status}:${c.path.join(' > ')}`, c);
  return tally([...seen.values()]);
}

/**
 * `deno test` output: tests and steps nested by indentation, `name ... ok (1ms)`; a group is
 * opened by `name ...` and closed by the same name with its result. Leaves are the cases.
 */
export function countDeno(text) {
  const cases = [];
  const open = []; // names of the open groups, by depth
  let pending; // a case whose result line was cut by output it printed (Deno's "Uncaught" report)
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
    let match = /^( *)(.+?) \.\.\.(?: (ok|FAILED|ignored)(?: \(.*\))?)?$/.exec(line);
    if (!match) {
      const late = /^ *(ok|FAILED|ignored) \(.*\)$/.exec(line);
      if (late && pending) match = [line, pending.indent, pending.name, late[1]];
      else {
        const cut = /^( *)(.+?) \.\.\.\S/.exec(line);
        if (cut) pending = { indent: cut[1], name: cut[2] };
      }
      if (!match) continue;
    }
    pending = undefined;
    const depth = match[1].length / 2;
    const [, , name, result] = match;
    if (result === undefined) {
      open.length = depth;
      open[depth] = name;
      continue;
    }
    if (open[depth] === name && open.length === depth + 1) {
      open.length = depth; // a group closing
      continue;
    }
    open.length = depth;
    const status = result === 'ok' ? 'passed' : result === 'FAILED' ? 'failed' : 'skipped';
    cases.push({ path: [...open, name], status });
  }
  return tally(cases);
}

const runtimes = { node: /^Node\b/, bullmq: /^Redis\b/, deno: /^Deno\b/, bun: /^Bun\b/, web: /^Chromium\b/ };
/** Runtimes whose row must be there; the others are checked where they ran. */
const required = ['node', 'deno', 'bun'];

/**
 * Checks the README's "What `npm test` runs" table (a ✓ for each adapter the suite passed on
 * under that runtime, else a dash or "not run") and the Bun README's adapter table.
 * @returns the differences, as sentences; empty when the tables are right
 */
export function checkPassTables(results, { readme, bunReadme }) {
  const problems = [];
  const lines = readme.split('\n');
  const header = lines.findIndex((line) => /^\| runtime \| inline \| nodeWorkers \|/.test(line));
  if (header < 0) return ['README.md has no pass table (a row starting "| runtime | inline | nodeWorkers |")'];
  const adapters = lines[header].split('|').slice(2, -1).map((cell) => cell.trim());
  const seen = new Set();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    const runtime = Object.keys(runtimes).find((key) => runtimes[key].test(cells[0]));
    if (!runtime) {
      problems.push(`README.md pass table: unknown runtime row "${cells[0]}"`);
      continue;
    }
    seen.add(runtime);
    // A part that did not run here (no redis-server or Chromium on a developer's machine) is not checked.
    if (!results[runtime]) continue;
    adapters.forEach((adapter, i) => {
      const ran = results[runtime].byAdapter[adapter];
      const passes = Boolean(ran && ran.passed > 0 && ran.failed === 0);
      const says = cells[i + 1];
      if (says === '✓' && !passes) problems.push(`README.md says ${adapter} passes under ${cells[0]}, but ${ran ? 'it failed' : 'it did not run'}`);
      if (says !== '✓' && passes) problems.push(`README.md says "${says}" for ${adapter} under ${cells[0]}, but it ran and passed (${ran.passed} cases)`);
    });
  }
  for (const runtime of required) {
    if (!seen.has(runtime)) problems.push(`README.md pass table has no row for ${runtime}`);
  }
  for (const line of bunReadme.split('\n')) {
    const row = /^\| `(\w+)\(\)`[^|]*\| (.*) \|$/.exec(line);
    if (!row) continue;
    const ran = results.bun.byAdapter[row[1]];
    const passes = Boolean(ran && ran.passed > 0 && ran.failed === 0);
    if (passes !== /^passes$/.test(row[2])) {
      problems.push(`adapters/bun/README.md says "${row[2]}" for ${row[1]}() under Bun, but it ${passes ? 'passes' : ran ? 'failed' : 'did not run'}`);
    }
  }
  if (/suite cases fail/.test(bunReadme) && Object.values(results.bun.byAdapter).every((c) => c.failed === 0)) {
    problems.push('adapters/bun/README.md says suite cases fail under Bun, but none did');
  }
  return problems;
}
