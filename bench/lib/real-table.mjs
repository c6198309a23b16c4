// The real workloads' tables: each contestant's rate and its speedup over the serial run; the
// server's requests/s with p50/p99 latency; then each @pool adapter against the best peer.
import { figure } from './format.mjs';

const peers = ['piscina', 'tinypool', 'workerpool-thread', 'workerpool-process'];
const spread = (r) => `±${Math.round(r.spread * 100)}%`;

function cell(r, w) {
  if (!r) return '—';
  if (r.na) return r.na;
  if (r.error) return `failed: ${r.error.replace(/\|/g, '/')}`;
  const mark = r.noteMark ? ` ${r.noteMark}` : '';
  if (w.id === 'server') return `${figure(r.median)} ${spread(r)} · ${figure(r.p50)} / ${figure(r.p99)} ms${mark}`;
  return `${figure(r.median)} ${spread(r)} · ${r.speedup.toFixed(2)}×${mark}`;
}

/** The best peer's median on a workload, and which peer it is. */
function bestPeer(contestants, w) {
  let best;
  for (const c of contestants) {
    const r = c.results[w.id];
    if (peers.includes(c.id) && r?.median !== undefined && (!best || r.median > best.median)) best = { id: c.id, label: c.label, ...r };
  }
  return best;
}

export function realTables(report) {
  const workloads = report.workloads.filter((w) => w.group === 'real');
  const rows = report.contestants.filter((c) => workloads.some((w) => c.results[w.id]));
  const head = ['contestant', ...workloads.map((w) => `${w.id} ${w.unit} ↑`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '--:')).join('|')}|`];
  for (const c of rows) lines.push(`| ${c.label} | ${workloads.map((w) => cell(c.results[w.id], w)).join(' | ')} |`);

  const versus = ['| @pool adapter | ' + workloads.map((w) => `${w.id} vs best peer`).join(' | ') + ' |', `|---|${workloads.map(() => '--:').join('|')}|`];
  for (const c of rows.filter((r) => r.pool)) {
    versus.push(`| ${c.label} | ${workloads.map((w) => {
      const r = c.results[w.id];
      const best = bestPeer(rows, w);
      if (!r || r.median === undefined || !best) return '—';
      const ratio = r.median / best.median;
      // Within noise: the gap is smaller than the larger of the two spreads.
      const noise = Math.max(r.spread, best.spread);
      const verdict = Math.abs(ratio - 1) <= noise ? 'within noise' : ratio > 1 ? 'ahead' : 'behind';
      return `${ratio.toFixed(2)}× ${best.id} (${verdict})`;
    }).join(' | ')} |`);
  }
  const notes = report.notes.filter((n) => rows.some((c) => workloads.some((w) => c.results[w.id]?.noteMark === n.mark)));
  return [
    lines.join('\n'),
    '',
    'Each cell: median of the rounds ± half the min–max range · speedup over the same items run serially in',
    'the same process (server: p50 / p99 latency). Every result is checked against the serial run\'s.',
    ...(notes.length ? ['', ...notes.map((n) => `- ${n.mark} ${n.text}`)] : []),
    '',
    versus.join('\n'),
    '',
    '"Within noise": the gap is no larger than the wider of the two spreads.',
  ].join('\n');
}
