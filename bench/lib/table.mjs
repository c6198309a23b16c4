// The markdown table: median ± spread and the ratio to the same runtime's floor, per cell.
import { figure, megabytes, ratio } from './format.mjs';

function cell(result) {
  if (!result) return '—';
  if (result.na) return result.na.startsWith('n/a') ? result.na : `n/a (${result.na})`;
  if (result.error) return `failed: ${result.error.replace(/\|/g, '/')}`;
  const spread = `±${Math.round(result.spread * 100)}%`;
  const base = result.ratio === null ? '' : ` (${ratio(result.ratio)})`;
  const mark = result.noteMark ? ` ${result.noteMark}` : '';
  return `${figure(result.median)} ${spread}${base}${mark}`;
}

function rssCell(result) {
  if (!result || result.na || result.error || !result.rss) return '—';
  const tree = result.rss.median;
  const host = result.rssHost?.median;
  return host && tree - host > 5 * 2 ** 20 ? `${megabytes(tree)} (host ${megabytes(host)})` : megabytes(tree);
}

export function markdownTable(report) {
  const { workloads, contestants } = report;
  const head = ['contestant', ...workloads.map((w) => `${w.id} ${w.unit} ${w.better === 'higher' ? '↑' : '↓'}`), 'W6 peak RSS ↓'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '--:')).join('|')}|`];
  for (const c of contestants) {
    const cells = workloads.map((w) => cell(c.results[w.id]));
    lines.push(`| ${c.label} | ${cells.join(' | ')} | ${rssCell(c.results.W6)} |`);
  }
  const notes = report.notes.map((n) => `${n.mark} ${n.text}`);
  return [
    lines.join('\n'),
    '',
    'Each cell: median of the rounds ± half the min–max range, then (in brackets) the ratio to the same',
    "runtime's floor: Node threads → worker_threads floor, Node processes → fork floor, Deno → Deno floor,",
    'Bun → Bun floor, Python → Python Pipe floor. ↑ higher is better, ↓ lower is better (for ↓ columns a ratio',
    'below 1× beats the floor). W6 peak RSS: the host process and every process it started (VmHWM), so',
    'process pools include their children; "host" is the parent alone.',
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}
