// A hand-written SVG bar chart of the ratios to each runtime's floor: one panel per workload,
// log scale, bars growing from the 1× floor line. No dependency.
import { ratio as ratioText } from './format.mjs';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const colour = (c) =>
  c.pool ? '#2563eb' : c.runtime === 'python' ? '#d97706' : c.id.startsWith('thread-') ? '#94a3b8' : '#6b7280';

export function svgChart(report) {
  const rows = report.contestants.filter((c) => !c.floor);
  const panelW = 520;
  const labelW = 190;
  const barW = panelW - labelW - 60;
  const rowH = 17;
  const panelH = 46 + rows.length * rowH;
  const top = 70;
  const cols = 2;
  const width = cols * panelW + 20;
  const noteLines = report.notes.length;
  const height = top + Math.ceil(report.workloads.length / cols) * (panelH + 16) + 40 + noteLines * 15;
  const load = report.load?.before?.[0];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="24" font-size="16" font-weight="bold">@pool benchmark — each figure as a ratio to the same runtime's bare floor (log scale)</text>`,
    `<text x="10" y="44" fill="#444">Pool of 2 everywhere. Median of ${report.rounds} rounds. Bars start at the floor (1×); for ↓ panels (times) a bar left of 1× beats the floor.${load === undefined ? '' : ` Load average ${load.toFixed(1)} at the start (shared machine).`}</text>`,
  ];
  report.workloads.forEach((w, k) => {
    const x0 = 10 + (k % cols) * panelW;
    const y0 = top + Math.floor(k / cols) * (panelH + 16);
    const values = rows.map((c) => c.results[w.id]?.ratio).filter((v) => v > 0);
    const lo = Math.floor(Math.log10(Math.min(1, ...values)));
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(1, ...values))));
    // Room left of the lowest decade and right of the highest for the value labels.
    const padL = 78;
    const padR = 40;
    const sx = (v) => x0 + labelW + padL + ((Math.log10(v) - lo) / (hi - lo)) * (barW - padL - padR);
    parts.push(`<text x="${x0}" y="${y0 + 14}" font-size="13" font-weight="bold">${esc(w.title)} — ${esc(w.unit)} ${w.better === 'higher' ? '↑ higher is better' : '↓ lower is better'}</text>`);
    const axisY = y0 + 24;
    const every = Math.ceil(48 / (sx(10) - sx(1))); // label every decade only where they fit
    for (let e = lo; e <= hi; e++) {
      const x = sx(10 ** e);
      parts.push(`<line x1="${x}" y1="${axisY + 4}" x2="${x}" y2="${y0 + panelH - 8}" stroke="${e === 0 ? '#111' : '#e5e7eb'}" stroke-width="${e === 0 ? 1.2 : 1}"/>`);
      if (e === 0 || (e % every === 0 && Math.abs(e) >= every)) {
        parts.push(`<text x="${x}" y="${axisY}" text-anchor="middle" fill="#555">${e === 0 ? '1× floor' : `${10 ** e}×`}</text>`);
      }
    }
    rows.forEach((c, i) => {
      const y = y0 + 32 + i * rowH;
      const r = c.results[w.id];
      parts.push(`<text x="${x0 + labelW - 6}" y="${y + 11}" text-anchor="end">${esc(c.label)}</text>`);
      if (!r) return;
      if (!(r.ratio > 0)) {
        const why = r.na ? 'n/a (not available)' : r.error ? 'failed' : 'no floor';
        parts.push(`<text x="${sx(1) + 4}" y="${y + 11}" fill="#999">${why}</text>`);
        return;
      }
      const a = sx(Math.min(1, r.ratio));
      const b = sx(Math.max(1, r.ratio));
      parts.push(`<rect x="${a}" y="${y + 2}" width="${Math.max(1, b - a)}" height="${rowH - 5}" fill="${colour(c)}"/>`);
      const right = r.ratio >= 1;
      parts.push(`<text x="${right ? b + 3 : a - 3}" y="${y + 11}" text-anchor="${right ? 'start' : 'end'}" fill="#111">${ratioText(r.ratio)}${r.noteMark ? ' ' + esc(r.noteMark) : ''}</text>`);
    });
  });
  const m = report.machine;
  const build = report.source?.commit ? ` · @pool ${report.source.commit}${report.source.uncommitted ? '+' : ''}` : '';
  const machine = `${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB${build} · Node ${m.node}${m.deno ? ` · Deno ${m.deno}` : ''}${m.bun ? ` · Bun ${m.bun}` : ''}${m.python ? ` · Python ${m.python}` : ''} · ${report.date}`;
  report.notes.forEach((n, i) => {
    parts.push(`<text x="10" y="${height - 30 - (noteLines - 1 - i) * 15}" fill="#444">${esc(`${n.mark} ${n.text}`)}</text>`);
  });
  parts.push(`<text x="10" y="${height - 12}" fill="#444">${esc(machine)} · blue: @pool · grey: JS peers · orange: Python</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
