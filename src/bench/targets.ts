/**
 * The performance brief's targets, judged on a report. They are set for the large scale (the
 * reference's shape) and judged there; at smaller scales they are shown, not judged: there an ALS
 * iteration or a top-50 call takes milliseconds, mostly fixed costs (thread hand-offs, set-up), so
 * neither its time nor its thread scaling, share of sgemm or growth over nonzeros and k says
 * anything about the kernels. The loss agreement of CG and Cholesky is judged at every scale.
 * A target whose cases did not run has value null.
 */
import { alsName } from './case-spec.js';
import type { BenchReport, CaseResult, TargetCheck } from './report.js';

export function checkTargets(r: Pick<BenchReport, 'cases' | 'scale' | 'environment'>): TargetCheck[] {
  const byName = new Map(r.cases.filter((c) => !c.error && !c.skipped).map((c) => [c.name, c]));
  const t = r.environment.threads;
  const med = (name: string): number | null => byName.get(name)?.seconds?.median ?? null;
  const out: TargetCheck[] = [];
  const large = r.scale === 'large';
  const atMost = (name: string, target: string, value: number | null, limit: number, applies = true): void => {
    out.push(judgedAt({ name, target, value: value === null ? null : Number(value.toPrecision(4)), pass: value === null ? null : value <= limit }, applies));
  };
  const atLeast = (name: string, target: string, value: number | null, limit: number, applies = true): void => {
    out.push(judgedAt({ name, target, value, pass: value === null ? null : value >= limit }, applies));
  };
  atMost(`CG k=64 s/iteration (t=${t})`, '≤ 0.50', med(alsName('cg', 64, t, 1)), 0.5, large);
  atMost(`CG k=128 s/iteration (t=${t})`, '≤ 0.70', med(alsName('cg', 128, t, 1)), 0.7, large);
  atMost(`Cholesky k=64 s/iteration (t=${t})`, '≤ 1.5', med(alsName('cholesky', 64, t, 1)), 1.5, large);
  for (const [solver, k] of [['cg', 64], ['cholesky', 64]] as const) {
    const one = med(alsName(solver, k, 1, 1));
    const many = med(alsName(solver, k, t, 1));
    if (t > 1) atLeast(`${solver} k=${k} speed-up 1→${t} threads`, '≥ 1.6×', one && many ? round(one / many) : null, 1.6, large);
  }
  atMost(`top-50 all users, s (t=${t})`, '≤ 2.5', med(`score top-50 k=64 t=${t}`), 2.5, large);
  const top50 = byName.get(`score top-50 k=64 t=${t}`);
  // The brief's arithmetic (2.5 s = 640 GFLOP at 70% of the machine's two-thread sgemm rate)
  // compares with the all-thread rate; the per-thread figure against one thread is the stricter
  // reading (it also charges the kernel for the threads slowing each other). Both are shown.
  const allThreads = top50?.detail?.percent_of_all_thread_sgemm;
  atLeast(`top-50 kernel, % of the ${t}-thread sgemm rate`, '≥ 70', typeof allThreads === 'number' ? allThreads : null, 70, large);
  atLeast('top-50 kernel, % of one-thread sgemm per thread', '≥ 70', top50?.sgemm_percent ?? null, 70, large);
  const loss = [...byName.values()].find((c) => c.unit === 'relative loss difference');
  atMost('CG vs Cholesky loss after 15 iterations', '≤ 1%', loss?.value ?? null, 0.01);
  const rss = byName.get(alsName('cg', 64, t, 1));
  atMost('peak RSS training k=64, MB', '≤ 400', rss?.rss_scope === 'case' ? (rss.peak_rss_mb ?? null) : null, 400, large);
  // Linear in the nonzeros: on a line within 10%. Within 2× of the flop model over k, where small k
  // pays fixed costs per entry.
  const sweep = [0.5, 1, 2, 4].map((f) => byName.get(alsName('cg', 64, t, f)));
  out.push(judgedAt(linearFitMiss('CG k=64 cost linear in nonzeros (0.5×–4×)', 0.1, sweep), large));
  out.push({ ...modelledRateSpread('CG k=64 s per modelled flop over the nonzeros (0.5×–4×)', 1.25, sweep), target: 'max/min of s per modelled flop', pass: null, note: MODEL_WEIGHTS_NOTE });
  out.push(judgedAt(modelledRateSpread('CG cost follows the flop model over k = 32…256', 2, [32, 64, 128, 256].map((k) => byName.get(alsName('cg', k, t, 1)))), large));
  return out;
}

/** A check as judged, or (where it does not apply) shown with its value and no verdict. */
function judgedAt(check: TargetCheck, applies: boolean): TargetCheck {
  return applies ? check : { ...check, pass: null, note: check.note ? `applies at --scale large; ${check.note}` : 'applies at --scale large' };
}

const MODEL_WEIGHTS_NOTE = 'shown, not judged: the model prices a gram-product flop (per row, from cache) as a gathered flop (per nonzero, from memory), so the sparser matrices look cheaper per flop';

/**
 * Linear growth of time with the nonzeros: the least-squares line through (nonzeros, seconds) of
 * the sweep, and the largest share of a case's time by which the line misses it, judged against
 * `limit`. Time that is a fixed part plus a part per nonzero (ALS: per-row gram products from
 * cache, per-entry gathers from memory) lies on a line whatever the two parts cost; time that
 * grows faster (caches outgrown) bends away from it: as nnz^1.1, a quarter more per nonzero at
 * 4× than at 0.5×, it misses by 9.5%. The note gives the line.
 */
function linearFitMiss(name: string, limit: number, cases: (CaseResult | undefined)[]): TargetCheck {
  const target = `a line through the sweep misses no case by more than ${limit * 100}% of its time`;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const c of cases) {
    if (!c?.seconds || typeof c.params.nnz !== 'number') continue;
    xs.push(c.params.nnz);
    ys.push(c.seconds.median);
  }
  const n = xs.length;
  if (n < 3) return { name, target, value: null, pass: null };
  const mx = xs.reduce((a, v) => a + v, 0) / n;
  const my = ys.reduce((a, v) => a + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const fixed = my - slope * mx;
  if (!(slope > 0)) return { name, target, value: null, pass: false, note: 'time does not grow with the nonzeros' };
  let miss = 0;
  for (let i = 0; i < n; i++) miss = Math.max(miss, Math.abs(ys[i] - (fixed + slope * xs[i])) / ys[i]);
  const v = Math.round(miss * 1000) / 1000;
  const note = `line: ${fixed.toFixed(4)} s + ${(slope * 1e6).toFixed(4)} s per million nonzeros`;
  return { name, target, value: v, pass: v <= limit, note };
}

/**
 * The spread (max/min) of time per modelled flop over cases, judged against `limit`. Flat time per
 * modelled flop is growth as the flop model says: over k, where the model's terms grow as k and k²,
 * the check that matters. Over the nonzeros it holds only if a gram flop and a gathered flop cost
 * the same, which they do not; there it is shown beside the fitted-line check.
 */
function modelledRateSpread(name: string, limit: number, cases: (CaseResult | undefined)[]): TargetCheck {
  const per = cases.filter((c): c is CaseResult => !!c?.seconds && !!c.throughput?.gflops).map((c) => 1 / c.throughput!.gflops);
  const target = `max/min of s per modelled flop ≤ ${limit}`;
  if (per.length < 2) return { name, target, value: null, pass: null };
  const v = round(Math.max(...per) / Math.min(...per));
  return { name, target, value: v, pass: v <= limit };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
