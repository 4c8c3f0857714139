/**
 * Uncertainty of per-user averages: percentile bootstrap intervals over users, and a paired
 * comparison of two rankers on the same users (bootstrap interval of the mean difference plus a
 * sign-flip permutation p-value, which is exact in distribution under "no difference").
 */
import { SeededRandom } from './random.js';

export interface BootstrapOptions {
  /** Resamples (default 1000). */
  iterations?: number;
  /** Two-sided coverage of the interval (default 0.95). */
  confidence?: number;
  /** Seed of the resampling (default 42). */
  seed?: number;
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
}

/** Percentile bootstrap interval of the mean of per-user values (NaN bounds for no users). */
export function bootstrapCI(perUser: Float64Array, opts: BootstrapOptions = {}): Interval {
  return bootstrapCIs([perUser], opts)[0];
}

/**
 * `bootstrapCI` of several per-user arrays over the same users, from one resampling: each
 * resample's draws are tallied per user, and every array's mean is then a weighted sum over the
 * users in order. The draws are those of a single call with the same seed, so each interval is the
 * one `bootstrapCI` gives (summed in user order, not draw order: equal up to rounding). Values read
 * in order instead of at each draw stay in cache: 28 metrics of 45,000 users took 1.5 s instead of
 * 10–14 s as separate passes.
 */
export function bootstrapCIs(perUser: readonly Float64Array[], opts: BootstrapOptions = {}): Interval[] {
  const { iterations, confidence, seed } = checkOptions(opts, 'bootstrapCI');
  const m = perUser.length;
  if (m === 0) return [];
  const n = perUser[0].length;
  for (const a of perUser) if (a.length !== n) throw new RangeError(`bootstrapCIs: arrays of ${n} and ${a.length} users; they must be the same users`);
  if (n === 0) return perUser.map(() => ({ mean: NaN, low: NaN, high: NaN }));
  const rng = new SeededRandom(seed);
  const means = perUser.map(() => new Float64Array(iterations));
  const draws = new Float64Array(n);
  const zeros = new Float64Array(n);
  for (let b = 0; b < iterations; b++) {
    draws.fill(0);
    for (let j = 0; j < n; j++) draws[rng.nextInt(n)]++;
    // Four arrays per sweep: four independent sums keep the adder busy (one sum waits on each
    // add), and each tally is read once for the four. Missing arrays of the last sweep are zeros.
    for (let a = 0; a < m; a += 4) {
      const x0 = perUser[a];
      const x1 = a + 1 < m ? perUser[a + 1] : zeros;
      const x2 = a + 2 < m ? perUser[a + 2] : zeros;
      const x3 = a + 3 < m ? perUser[a + 3] : zeros;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < n; j++) {
        const d = draws[j];
        s0 += d * x0[j];
        s1 += d * x1[j];
        s2 += d * x2[j];
        s3 += d * x3[j];
      }
      means[a][b] = s0 / n;
      if (a + 1 < m) means[a + 1][b] = s1 / n;
      if (a + 2 < m) means[a + 2][b] = s2 / n;
      if (a + 3 < m) means[a + 3][b] = s3 / n;
    }
  }
  return perUser.map((values, a) => {
    const [low, high] = percentiles(means[a], confidence);
    return { mean: meanOf(values), low, high };
  });
}

export interface PairedResult {
  /** mean(a − b) over users. */
  meanDiff: number;
  /** Bootstrap interval of the mean difference. */
  low: number;
  high: number;
  /** Two-sided sign-flip permutation p-value, (1 + #{|perm| ≥ |observed|}) / (1 + iterations). */
  pValue: number;
  /** pValue < 1 − confidence. */
  significant: boolean;
  users: number;
}

/** Compare two per-user metric arrays measured on the same users in the same order. */
export function pairedComparison(a: Float64Array, b: Float64Array, opts: BootstrapOptions = {}): PairedResult {
  const { iterations, confidence, seed } = checkOptions(opts, 'pairedComparison');
  if (a.length !== b.length) throw new RangeError(`pairedComparison: a has ${a.length} users, b has ${b.length}; they must be paired`);
  const n = a.length;
  if (n === 0) return { meanDiff: NaN, low: NaN, high: NaN, pValue: NaN, significant: false, users: 0 };
  const d = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = a[j] - b[j];
  const ci = bootstrapCI(d, { iterations, confidence, seed });
  const observed = Math.abs(ci.mean);
  // Tolerance so that float noise in re-summing the same values does not decide a tie.
  const tol = 1e-12 * (1 + observed);
  const rng = new SeededRandom(seed ^ 0x5bd1e995);
  let extreme = 0;
  for (let t = 0; t < iterations; t++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (rng.nextUint32() & 1) === 0 ? d[j] : -d[j];
    if (Math.abs(s / n) >= observed - tol) extreme++;
  }
  const pValue = (1 + extreme) / (1 + iterations);
  return { meanDiff: ci.mean, low: ci.low, high: ci.high, pValue, significant: pValue < 1 - confidence, users: n };
}

function checkOptions(opts: BootstrapOptions, fn: string): Required<BootstrapOptions> {
  const iterations = opts.iterations ?? 1000;
  const confidence = opts.confidence ?? 0.95;
  const seed = opts.seed ?? 42;
  if (!(Number.isInteger(iterations) && iterations >= 1)) throw new RangeError(`${fn}: iterations must be a positive integer, got ${iterations}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`${fn}: confidence must be in (0, 1), got ${confidence}`);
  if (!Number.isFinite(seed)) throw new RangeError(`${fn}: seed must be finite, got ${seed}`);
  return { iterations, confidence, seed };
}

function meanOf(a: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j];
  return a.length > 0 ? s / a.length : NaN;
}

/** Lower and upper percentile of the sorted values for a two-sided interval (linear interpolation). */
function percentiles(values: Float64Array, confidence: number): [number, number] {
  const sorted = values.slice().sort();
  const alpha = (1 - confidence) / 2;
  return [quantile(sorted, alpha), quantile(sorted, 1 - alpha)];
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
