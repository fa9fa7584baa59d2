// Small numeric helpers shared by the benchmarks.

/** The value below which `p` percent of `sorted` (ascending) lie: nearest rank, no interpolation. */
export const percentile = (sorted, p) => {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
};

export const median = (values) => percentile([...values].sort((a, b) => a - b), 50);

/** `a / b` as `1.23x`. */
export const ratio = (a, b, digits = 2) => `${(a / b).toFixed(digits)}x`;

export const round = (value, digits = 0) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
