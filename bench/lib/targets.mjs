// Issue 6's targets, checked against one report: met or missed, and by how much.
import { figure, megabytes } from './format.mjs';

const median = (report, id, w) => report.contestants.find((c) => c.id === id)?.results[w]?.median;
const rssOf = (report, id) => report.contestants.find((c) => c.id === id)?.results.W6?.rss?.median;
const adapters = ['nodeWorkers', 'nodeProcesses', 'inline', 'denoWorkers', 'bunWorkers'];
const floorOf = { nodeWorkers: 'floor-thread', nodeProcesses: 'floor-fork', inline: 'floor-thread', denoWorkers: 'floor-deno', bunWorkers: 'floor-bun' };

/** at least: measured / other ≥ factor.  at most: measured / other ≤ factor. */
function relative(report, w, id, other, factor, atMost, what) {
  const a = median(report, id, w);
  const b = median(report, other, w);
  if (a === undefined || b === undefined) return { target: what, verdict: 'not measured' };
  const ratio = a / b;
  const met = atMost ? ratio <= factor : ratio >= factor;
  // How far from the target, as a share of the target: what must still be gained (or was to spare).
  const gap = atMost ? ratio / factor - 1 : 1 - ratio / factor;
  return { target: what, measured: `${figure(a)} vs ${figure(b)} = ${ratio.toFixed(2)}×`, ...verdict(!met, Math.abs(gap)), met };
}

const percent = (x) => (x < 0.01 ? `${(x * 100).toFixed(1)}%` : `${Math.round(x * 100)}%`);
const verdict = (missed, gap) => ({ verdict: missed ? `**missed** by ${percent(gap)}` : `met (${percent(gap)} to spare)` });

export function checkTargets(report) {
  const rows = [
    relative(report, 'W1', 'nodeWorkers', 'piscina', 2, false, 'W1 nodeWorkers ≥ 2× piscina'),
    relative(report, 'W1', 'nodeWorkers', 'floor-thread', 0.5, false, 'W1 nodeWorkers ≥ 0.5× worker_threads floor'),
    relative(report, 'W1', 'nodeProcesses', 'workerpool-process', 2, false, "W1 nodeProcesses ≥ 2× workerpool's process mode"),
    relative(report, 'W1', 'nodeProcesses', 'floor-fork', 0.6, false, 'W1 nodeProcesses ≥ 0.6× fork floor'),
    relative(report, 'W1', 'denoWorkers', 'floor-deno', 0.6, false, 'W1 denoWorkers ≥ 0.6× Deno floor'),
    relative(report, 'W1', 'bunWorkers', 'floor-bun', 0.6, false, 'W1 bunWorkers ≥ 0.6× Bun floor'),
    relative(report, 'W2', 'nodeWorkers', 'piscina', 1, true, "W2 nodeWorkers ≤ piscina's round trip"),
    ...adapters.map((id) => {
      const s = median(report, id, 'W3');
      if (s === undefined) return { target: `W3 ${id} ≥ 1.85×`, verdict: 'not measured' };
      return { target: `W3 ${id} ≥ 1.85×`, measured: `${s.toFixed(2)}×`, met: s >= 1.85, ...verdict(s < 1.85, Math.abs(1 - s / 1.85)) };
    }),
    relative(report, 'W4', 'nodeWorkers', 'python', 1, false, "W4 nodeWorkers ≥ Python's Pool.map"),
    relative(report, 'W4', 'nodeWorkers', 'piscina', 30, false, 'W4 nodeWorkers ≥ 30× piscina per item'),
    ...adapters.map((id) => relative(report, 'W5', id, floorOf[id], 1.2, true, `W5 ${id} ≤ 1.2× its floor`)),
    ...adapters.map((id) => {
      const rss = rssOf(report, id);
      if (rss === undefined) return { target: `W6 ${id} peak RSS ≤ 150 MB`, verdict: 'not measured' };
      const limit = 150 * 2 ** 20;
      return { target: `W6 ${id} peak RSS ≤ 150 MB`, measured: megabytes(rss), met: rss <= limit, ...verdict(rss > limit, Math.abs(rss / limit - 1)) };
    }),
    // Issue 11: @pool/web in Chromium, on both kinds of page.
    ...['isolated', 'plain'].flatMap((page) => {
      const id = `webWorkers-${page}`;
      const floor = `floor-web-${page}`;
      const w3 = median(report, id, 'W3');
      return [
        relative(report, 'W1', id, floor, 0.5, false, `W1 webWorkers (${page}) ≥ 0.5× its floor`),
        relative(report, 'W1', id, `workerpool-web-${page}`, 2, false, `W1 webWorkers (${page}) ≥ 2× workerpool`),
        relative(report, 'W1', id, `poolifier-web-${page}`, 2, false, `W1 webWorkers (${page}) ≥ 2× poolifier-web-worker`),
        relative(report, 'W2', id, floor, 1.3, true, `W2 webWorkers (${page}) ≤ 1.3× its floor`),
        w3 === undefined ? { target: `W3 webWorkers (${page}) ≥ 1.8×`, verdict: 'not measured' }
          : { target: `W3 webWorkers (${page}) ≥ 1.8×`, measured: `${w3.toFixed(2)}×`, met: w3 >= 1.8, ...verdict(w3 < 1.8, Math.abs(1 - w3 / 1.8)) },
        relative(report, 'W5', id, floor, 1.2, true, `W5 webWorkers (${page}) ≤ 1.2× its floor`),
      ];
    }),
    // Issue 14 (performance, round two): every runtime's floor, Python's Pool.map, memory.
    ...issue14(report),
  ];
  return rows;
}

const pooled = ['nodeWorkers', 'nodeProcesses', 'denoWorkers', 'bunWorkers'];

/** Issue 14's targets: W1 at or past each floor, W4 against Python, W5 and W3 against each floor, W6 memory. */
function issue14(report) {
  const w3 = (id) => {
    const own = median(report, id, 'W3');
    const floor = median(report, floorOf[id], 'W3');
    const what = `W3 ${id} speedup ≥ 0.97× its floor's (issue 14)`;
    if (own === undefined || floor === undefined) return { target: what, verdict: 'not measured' };
    const ratio = own / floor;
    return { target: what, measured: `${own.toFixed(2)}× vs ${floor.toFixed(2)}× = ${ratio.toFixed(2)}×`, met: ratio >= 0.97, ...verdict(ratio < 0.97, Math.abs(1 - ratio / 0.97)) };
  };
  const w6 = (id) => {
    const rss = rssOf(report, id);
    const floorRss = id === 'nodeProcesses' ? rssOf(report, 'floor-fork') : 120 * 2 ** 20;
    const what = `${id === 'nodeProcesses' ? 'W6 nodeProcesses peak RSS ≤ the fork floor\'s' : `W6 ${id} peak RSS ≤ 120 MB`} (issue 14)`;
    if (rss === undefined || floorRss === undefined) return { target: what, verdict: 'not measured' };
    return { target: what, measured: `${megabytes(rss)} vs ${megabytes(floorRss)}`, met: rss <= floorRss, ...verdict(rss > floorRss, Math.abs(rss / floorRss - 1)) };
  };
  return [
    ...pooled.map((id) => (id === 'nodeProcesses'
      ? relative(report, 'W1', id, 'floor-fork', 1.5, false, 'W1 nodeProcesses ≥ 1.5× the fork floor (issue 14)')
      : relative(report, 'W1', id, floorOf[id], 1, false, `W1 ${id} ≥ 1.0× its floor (issue 14)`))),
    relative(report, 'W4', 'nodeWorkers', 'python', 3, false, "W4 nodeWorkers ≥ 3× Python's Pool.map (issue 14)"),
    ...pooled.slice(1).map((id) => relative(report, 'W4', id, 'python', 2, false, `W4 ${id} ≥ 2× Python's Pool.map (issue 14)`)),
    ...pooled.map((id) => relative(report, 'W5', id, floorOf[id], 1.1, true, `W5 ${id} ≤ 1.1× its floor (issue 14)`)),
    ...pooled.map(w3),
    ...adapters.map(w6),
  ];
}

export function targetsTable(rows) {
  return ['| target | measured | verdict |', '|---|---|---|', ...rows.map((r) => `| ${r.target} | ${r.measured ?? '—'} | ${r.verdict} |`)].join('\n');
}
