// npm run bench: every contestant × workload in its own fresh process, several rounds with the
// contestants interleaved; medians, spread and ratios to each runtime's floor; JSON, markdown, SVG.
//
//   BENCH_ROUNDS=3            rounds (default 3)
//   BENCH_ONLY=nodeWorkers,piscina,W1,W2   contestant ids and/or workload ids to run (floors of
//                             the chosen contestants are added so ratios still work)
//   BENCH_TIMEOUT=60          seconds per run;  BENCH_W4_PEER_CAP, BENCH_W6_ITEMS, BENCH_W6_CHUNKSIZE
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
import { sizes, workloads } from './lib/workloads.mjs';
import os from 'node:os';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const chosenWorkloads = workloads.filter((w) => !only.size || only.has(w.id) || ![...only].some((o) => /^W\d$/.test(o)));
const named = contestants.filter((c) => only.has(c.id));
const chosen = named.length === 0 ? contestants
  : contestants.filter((c) => only.has(c.id) || named.some((n) => n.base === c.id));

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
      if (skip.has(c.id) || (c.only && !c.only.includes(w.id))) continue;
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
  };
}

const summarized = chosen.map((c) => ({
  id: c.id, label: c.label, runtime: c.runtime, base: c.base, floor: !!c.floor, pool: !!c.pool,
  results: Object.fromEntries(chosenWorkloads.map((w) => [w.id, summary(c, w)])),
}));
for (const c of summarized) {
  for (const w of chosenWorkloads) {
    const r = c.results[w.id];
    if (!r || r.median === undefined) continue;
    const floor = summarized.find((f) => f.id === c.base)?.results[w.id];
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
report.targets = checkTargets(report);
const table = markdownTable(report);
const targets = targetsTable(report.targets);
writeFileSync(new URL('latest.md', results), `${table}\n\n### Targets (issue 6; @pool/web: issue 11)\n\n${targets}\n`);
writeFileSync(new URL('latest.svg', results), svgChart(report) + '\n');
const json = JSON.stringify(report, null, 2) + '\n';
writeFileSync(new URL(`${report.date}.json`, results), json);
writeFileSync(new URL('latest.json', results), json);

console.log(`\n## @pool benchmark, ${report.date} — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}` +
  `${machine.deno ? `, Deno ${machine.deno}` : ''}${machine.bun ? `, Bun ${machine.bun}` : ''}${machine.python ? `, Python ${machine.python}` : ''}` +
  `${machine.chromium ? `, Chromium ${machine.chromium}` : ''}\n`);
console.log(table);
console.log(`\n### Targets (issue 6; @pool/web: issue 11)\n\n${targets}`);
console.log(`\n${rounds} round${rounds === 1 ? '' : 's'} in ${report.minutes.toFixed(1)} min; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${report.load.after.map((l) => l.toFixed(2)).join(' ')} after.`);
console.log(`Measured @pool at ${source.commit}${source.uncommitted ? ` + ${source.uncommitted} uncommitted file(s)` : ''}.`);
if (rebuilt.length) console.log(`WARNING: rebuilt during the run, so the figures mix two builds: ${rebuilt.join(', ')}. Run again.`);
console.log('Wrote bench/results/latest.json, latest.md, latest.svg and ' + `${report.date}.json`);
