/** Summary statistics of repeated timings. */
export interface TimingSummary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(samples: readonly number[]): TimingSummary {
  if (samples.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs: s.length };
}

/** summarize's median, min and max, rounded to the millisecond, as the bench scripts print them. */
export function summarizeMs(samples: readonly number[]): { median: number; min: number; max: number } {
  const { median, min, max } = summarize(samples);
  const r = (v: number): number => Math.round(v * 1000) / 1000;
  return { median: r(median), min: r(min), max: r(max) };
}
