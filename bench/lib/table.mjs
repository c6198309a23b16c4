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
  return megabytes(result.rss.median);
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
    'below 1× beats the floor).',
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}
