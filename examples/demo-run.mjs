// The demo's engine, shared by every runtime's entry: the same prime count, serially and on each
// adapter, with progress while it runs. Runtime-neutral: it takes the adapters as arguments.
import { Pool } from '@pool/core';
import { countRange } from './primes.mjs';

/** Work: [from, to) ranges covering [0, limit), cut in `parts` pieces. */
export function ranges(limit, parts) {
  const step = Math.ceil(limit / parts);
  return Array.from({ length: parts }, (_, i) => [i * step, Math.min(limit, (i + 1) * step)]);
}

/** A progress bar redrawn in place on a terminal; on a pipe, a line at each quarter. */
export function progress(write, tty, label, done, total, ms) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const bar = `  ${label.padEnd(14)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${(ms / 1000).toFixed(1)} s`;
  if (tty) write(`\r${bar}${done === total ? '\n' : ''}`);
  else if (done === total || done % Math.ceil(total / 4) === 0) write(`${bar}\n`);
}

/**
 * Runs the job serially, then on each adapter; returns one row per run.
 * @param {{ runtime: string, adapters: Array<{ name: string, make: () => import('@pool/core').Adapter }>,
 *           limit?: number, parts?: number, processes?: number, write?: (s: string) => void }} options
 */
export async function runDemo({ runtime, adapters, limit = 10_000_000, parts = 64, processes, write = () => {}, tty = false, onProgress }) {
  const work = ranges(limit, parts);
  const rows = [];
  const report = (label, done, started) => {
    const ms = performance.now() - started;
    progress(write, tty, label, done, work.length, ms);
    onProgress?.({ adapter: label, done, total: work.length, ms });
  };

  // Warm-up, untimed: the first and the last range, so that the code this thread runs is
  // compiled before serial is timed. Serial and inline() share this thread and its compiled
  // code; without it serial alone would pay for compilation and inline() would look faster
  // than serial. Workers compile their own copy, which their time includes: part of their cost.
  countRange(work[0]);
  countRange(work[work.length - 1]);
  let started = performance.now();
  let serialTotal = 0;
  for (let i = 0; i < work.length; i++) {
    serialTotal += countRange(work[i]);
    report('serial', i + 1, started);
  }
  const serialMs = performance.now() - started;
  rows.push({ runtime, adapter: 'serial', workers: 1, ms: serialMs, speedup: 1, primes: serialTotal });

  for (const { name, make } of adapters) {
    // Timed from pool creation: starting workers is part of what the user pays.
    started = performance.now();
    const pool = new Pool({ adapter: make(), module: new URL('./primes.mjs', import.meta.url), processes });
    let total = 0;
    let done = 0;
    for await (const count of pool.imapUnordered('countRange', work)) {
      total += count;
      report(name, ++done, started);
    }
    const ms = performance.now() - started;
    const workers = pool.processes;
    await pool.terminate();
    if (total !== serialTotal) throw new Error(`${name} counted ${total} primes, serial counted ${serialTotal}`);
    rows.push({ runtime, adapter: name, workers, ms, speedup: serialMs / ms, primes: total });
  }
  return rows;
}

/** Formats rows as a markdown table. */
export function table(rows) {
  const lines = ['| runtime | adapter | workers | wall time | speedup |', '|---|---|---:|---:|---:|'];
  for (const r of rows) {
    lines.push(`| ${r.runtime} | ${r.adapter} | ${r.workers} | ${(r.ms / 1000).toFixed(2)} s | ${r.speedup.toFixed(2)}× |`);
  }
  return lines.join('\n');
}

/**
 * What examples/deno.ts and examples/bun.ts run: with `--json`, the demo's rows as JSON lines
 * (for `npm run demo`); else the demo with progress, and its table.
 */
export async function runEntry({ runtime, adapters, json, write }) {
  if (json) {
    // Progress as JSON lines too, so that `npm run demo` can show it while this runtime works.
    const onProgress = ({ adapter, done, total, ms }) => console.log(JSON.stringify({ progress: true, adapter, done, total, ms }));
    for (const row of await runDemo({ runtime, adapters, onProgress })) console.log(JSON.stringify(row));
    return;
  }
  console.log(`${runtime}: the primes below 10,000,000, serially and on each adapter`);
  console.log(`\n${table(await runDemo({ runtime, adapters, write }))}`);
}
