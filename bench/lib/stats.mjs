// Median and spread of a handful of rounds.
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  /** Half the min–max range, relative to the median: "±x%". */
  const spread = median === 0 ? 0 : (max - min) / 2 / Math.abs(median);
  return { median, min, max, spread, n: sorted.length };
}
