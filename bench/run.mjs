// npm run bench: every contestant × workload in its own fresh process, several rounds with the
// contestants interleaved; medians, spread and ratios to each runtime's floor; JSON, markdown, SVG.
//
//   BENCH_ROUNDS=3            rounds (default 3)
//   BENCH_ONLY=nodeWorkers,piscina,W1,W2   contestant ids and/or workload ids to run (floors of
//                             the chosen contestants are added so ratios still work)
//   BENCH_BEFORE=/path/to/checkout  also run its @pool (built) as `<id>@before`, same rounds
//   BENCH_TIMEOUT=60          seconds per run;  BENCH_W4_PEER_CAP, BENCH_W6_ITEMS, BENCH_W6_CHUNKSIZE
//   --only real | --only micro   the real workloads (libraries, server) or W1–W6 alone
//   --scaling                 the scaling table instead (items 1M → 10M, workers 1 → 8): scaling.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { svgChart } from './lib/chart.mjs';
import { contestants, unavailable } from './lib/contestants.mjs';
import { describeMachine, findRuntimes } from './lib/machine.mjs';
import { runOnce } from './lib/spawn.mjs';
import { buildStamp, rebuiltBetween } from './lib/source.mjs';
import { summarize } from './lib/stats.mjs';
import { markdownTable } from './lib/table.mjs';
import { openWebBench } from './web/run.mjs';
import { checkTargets, targetsTable } from './lib/targets.mjs';
import { realTables } from './lib/real-table.mjs';
import { isReal, sizes, workloads } from './lib/workloads.mjs';
import os from 'node:os';

const argv = process.argv.slice(2);
if (argv.includes('--scaling')) {
  await import('./scaling.mjs');
  process.exit(0);
}
const group = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
if (group !== undefined && group !== 'real' && group !== 'micro') throw new Error(`--only takes 'real' or 'micro', not ${group}`);

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const named = (w) => !only.size || only.has(w.id) || ![...only].some((o) => workloads.some((x) => x.id === o));
const chosenWorkloads = workloads.filter((w) => named(w) && (!group || (group === 'real') === isReal(w.id)));
const isNamed = (c) => only.has(c.id) || only.has(c.id.replace(/@before$/, ''));
const picked = contestants.filter(isNamed);
const chosen = picked.length === 0 ? contestants
  : contestants.filter((c) => isNamed(c) || picked.some((n) => n.base === c.id));
/** Floors, Python and the W1 reference have no real workloads: they run the micro tasks only. */
const runs = (c, w) => (c.only ? c.only.includes(w.id) : true) && !(isReal(w.id) && (c.floor || c.runtime === 'python'));

const { versions, commands } = findRuntimes();
const machine = describeMachine(versions);
const date = new Date().toISOString();
const loadBefore = os.loadavg();
const sourceBefore = buildStamp();
const started = performance.now();
console.error(`@pool bench: ${chosen.length} contestants × ${chosenWorkloads.length} workloads × ${rounds} rounds on ${machine.cpu} (${machine.cores} cores)`);

// Availability is checked once up front: a contestant whose package is not built is n/a, not a crash.
const skip = new Map(chosen.map((c) => [c.id, unavailable(c, commands)]).filter(([, why]) => why));
const samples = new Map(); // `${id} ${workload}` -> result[]
// The browser contestants share one Chromium (a fresh page per run), started only if one runs.
const web = chosen.some((c) => c.runtime === 'chromium' && !skip.has(c.id)) ? await openWebBench() : null;
for (let round = 0; round < rounds; round++) {
  for (const w of chosenWorkloads) {
    // Rotate the order every round so no contestant always runs first (or right after the heaviest).
    const order = chosen.map((_, i) => chosen[(i + round) % chosen.length]);
    for (const c of order) {
      if (skip.has(c.id) || (c.only && !c.only.includes(w.id)) || !runs(c, w)) continue;
      const result = c.runtime === 'chromium' ? await web.run(c, w.id, sizes) : await runOnce(commands, c, w.id);
      const key = `${c.id} ${w.id}`;
      if (!samples.has(key)) samples.set(key, []);
      samples.get(key).push(result);
      const shown = result.value !== undefined ? result.value.toPrecision(4) + ' ' + result.unit : JSON.stringify(result);
      console.error(`  round ${round + 1}/${rounds} ${w.id} ${c.id.padEnd(20)} ${shown}`);
    }
  }
}

await web?.close();

// ---- summarize ----------------------------------------------------------------------------
const notes = [];
const noteMark = (text) => {
  if (!text) return undefined;
  let note = notes.find((n) => n.text === text);
  if (!note) notes.push((note = { mark: `[${notes.length + 1}]`, text }));
  return note.mark;
};

function summary(c, w) {
  if (skip.has(c.id)) return { na: `n/a (not available: ${skip.get(c.id)})` };
  const runs = samples.get(`${c.id} ${w.id}`);
  if (!runs) return null;
  const na = runs.find((r) => r.na);
  if (na) return { na: `n/a (${na.na})` };
  const good = runs.filter((r) => typeof r.value === 'number');
  if (good.length === 0) return { error: runs[0].error ?? 'no result' };
  const stats = summarize(good.map((r) => r.value));
  const rss = good.some((r) => r.rss) ? summarize(good.filter((r) => r.rss).map((r) => r.rss)) : undefined;
  const rssHost = good.some((r) => r.rssHost) ? summarize(good.filter((r) => r.rssHost).map((r) => r.rssHost)) : undefined;
  const failed = runs.length - good.length;
  const note = [good[0].note, failed ? `${failed} of ${runs.length} runs failed: ${runs.find((r) => r.error).error}` : null].filter(Boolean).join('; ');
  return {
    ...stats, unit: good[0].unit, samples: good.map((r) => r.value), ...(rss && { rss }), ...(rssHost && { rssHost }),
    ...(good[0].items && { items: good[0].items }), ...(note && { note }),
    ...(good[0].serialMs && { serialMs: summarize(good.map((r) => r.serialMs)).median, parallelMs: summarize(good.map((r) => r.parallelMs)).median }),
    ...(good[0].speedup && { speedup: summarize(good.map((r) => r.speedup)).median }),
    ...(good[0].p50 !== undefined && { p50: summarize(good.map((r) => r.p50)).median, p99: summarize(good.map((r) => r.p99)).median }),
  };
}

const summarized = chosen.map((c) => ({
  id: c.id, label: c.label, runtime: c.runtime, base: c.base, floor: !!c.floor, pool: !!c.pool,
  results: Object.fromEntries(chosenWorkloads.filter((w) => runs(c, w)).map((w) => [w.id, summary(c, w)])),
}));
for (const c of summarized) {
  for (const w of chosenWorkloads) {
    const r = c.results[w.id];
    if (!r || r.median === undefined) continue;
    const floor = isReal(w.id) ? undefined : summarized.find((f) => f.id === c.base)?.results[w.id];
    r.ratio = floor?.median ? r.median / floor.median : null;
    r.noteMark = noteMark(r.note);
  }
}

const source = buildStamp();
const rebuilt = rebuiltBetween(sourceBefore, source);
const report = {
  date: date.slice(0, 10), time: date, machine, rounds, sizes, source: { ...source, rebuiltDuringRun: rebuilt },
  load: { before: loadBefore, after: os.loadavg() },
  minutes: (performance.now() - started) / 60_000,
  workloads: chosenWorkloads, contestants: summarized, notes,
};

const results = new URL('./results/', import.meta.url);
mkdirSync(results, { recursive: true });
// The micro tables and chart come from W1–W6; the real workloads have tables of their own. A run
// without W1–W6 writes real-latest.* so it leaves the micro results in place.
const microWorkloads = chosenWorkloads.filter((w) => !isReal(w.id));
const micro = { ...report, workloads: microWorkloads, notes: notes.filter((n) => summarized.some((c) => microWorkloads.some((w) => c.results[w.id]?.noteMark === n.mark))) };
const hasMicro = micro.workloads.length > 0;
const hasReal = chosenWorkloads.some((w) => isReal(w.id));
report.targets = hasMicro ? checkTargets(report) : [];
const sections = [];
if (hasMicro) sections.push(markdownTable(micro), `### Targets (issue 6; @pool/web: issue 11)\n\n${targetsTable(report.targets)}`);
if (hasReal) sections.push(`### Real workloads\n\n${realTables(report)}`);
const stamp = `${rounds} round${rounds === 1 ? '' : 's'} in ${report.minutes.toFixed(1)} min; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${report.load.after.map((l) => l.toFixed(2)).join(' ')} after.`;
const prefix = hasMicro ? 'latest' : 'real-latest';
writeFileSync(new URL(`${prefix}.md`, results), `${sections.join('\n\n')}\n\n${stamp}\n`);
if (hasMicro) writeFileSync(new URL('latest.svg', results), svgChart(micro) + '\n');
const json = JSON.stringify(report, null, 2) + '\n';
writeFileSync(new URL(`${hasMicro ? report.date : `real-${report.date}`}.json`, results), json);
writeFileSync(new URL(`${prefix}.json`, results), json);

console.log(`\n## @pool benchmark, ${report.date} — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}` +
  `${machine.deno ? `, Deno ${machine.deno}` : ''}${machine.bun ? `, Bun ${machine.bun}` : ''}${machine.python ? `, Python ${machine.python}` : ''}` +
  `${machine.chromium ? `, Chromium ${machine.chromium}` : ''}\n`);
console.log(sections.join('\n\n'));
console.log(`\n${stamp}`);
console.log(`Measured @pool at ${source.commit}${source.uncommitted ? ` + ${source.uncommitted} uncommitted file(s)` : ''}.`);
if (rebuilt.length) console.log(`WARNING: rebuilt during the run, so the figures mix two builds: ${rebuilt.join(', ')}. Run again.`);
console.log(`Wrote bench/results/${prefix}.json, ${prefix}.md${hasMicro ? ', latest.svg' : ''}`);
