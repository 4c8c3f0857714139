/**
 * Where the 8-bit pre-filter of top-k pays: one thread, for each number of users per call, the
 * median time of the float kernel alone ('off'), of the pre-filter quantizing V in the call
 * ('int8'), and of the pre-filter over items quantized once (prepared). The thresholds of 'auto'
 * in native/score_int8.h come from runs of this script. Items are seeded factor-like rows (a shared
 * direction, norms spread over an order of magnitude), users likewise; no exclusions.
 * `--zero-share S` zeroes that share of the users' rows (spread evenly): listeners with no taste
 * evidence (accounts judged not human, skips only), for whom every item ties at 0.
 *
 *   npx tsx bench/topk-policy.ts [--items 200000] [--factors 64] [--n 50] [--users 1,8,64,1024] [--runs 11] [--zero-share 0]
 *
 * prints JSON: per user count the three medians in ms and each path's ratio to the float kernel.
 */
import { nativeInfo, prepareItems, scoreTopK, type PreparedItems, type TopKPrefilter } from '../src/native/index.js';
import { mulberry32 } from '../src/util/random.js';
import { sharedArray } from '../src/util/shared-memory.js';
import { BenchFlags } from './args.js';

const flags = BenchFlags.parse({ items: 'value', factors: 'value', n: 'value', runs: 'value', users: 'value', 'zero-share': 'value' });
const items = flags.int('items', 200_000);
const k = flags.int('factors', 64);
const n = flags.int('n', 50);
const runs = flags.int('runs', 11);
const userCounts = flags.ints('users', [1, 8, 64, 1024]);
const zeroShare = flags.number('zero-share', 0, 'a share in [0, 1]', (v) => v >= 0 && v <= 1);
const rng = mulberry32(7);

/** Rows shaped like trained factors. */
function factorLike(rows: number): Float32Array {
  const out = sharedArray(Float32Array, rows * k);
  for (let r = 0; r < rows; r++) {
    const norm = Math.exp(2 * rng());
    for (let f = 0; f < k; f++) out[r * k + f] = norm * (rng() - 0.5 + (f === 0 ? 0.6 : 0));
  }
  return out;
}

const V = factorLike(items);
const t0 = performance.now();
const prepared = prepareItems({ V, factors: k });
const prepareMs = performance.now() - t0;
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1];

const rows = userCounts.map((users) => {
  const U = factorLike(users);
  // Rows r with ⌊(r+1)·S⌋ > ⌊r·S⌋ are zeroed: the share S, spread over the block.
  for (let r = 0; r < users; r++) if (Math.floor((r + 1) * zeroShare) > Math.floor(r * zeroShare)) U.fill(0, r * k, (r + 1) * k);
  const out = { outItems: new Int32Array(users * n), outScores: new Float32Array(users * n) };
  const time = (prefilter: TopKPrefilter, p?: PreparedItems): number => {
    const s = performance.now();
    scoreTopK({ U, V, factors: k, userBegin: 0, userEnd: users, n, prefilter, prepared: p, ...out });
    return performance.now() - s;
  };
  const ms: Record<'float' | 'int8' | 'prepared', number[]> = { float: [], int8: [], prepared: [] };
  for (let r = 0; r < runs; r++) {
    ms.float.push(time('off'));
    ms.int8.push(time('int8'));
    ms.prepared.push(time('int8', prepared));
  }
  const [f, q, p] = [median(ms.float), median(ms.int8), median(ms.prepared)];
  const round = (x: number, d = 2): number => Number(x.toFixed(d));
  return { users, floatMs: round(f), int8Ms: round(q), preparedMs: round(p), int8Ratio: round(q / f), preparedRatio: round(p / f) };
});

process.stdout.write(
  `${JSON.stringify({ items, factors: k, n, runs, zeroShare, topkPrefilter: nativeInfo().topkPrefilter, prepareMs: Number(prepareMs.toFixed(1)), preparedUsable: prepared.usable, rows }, null, 2)}\n`,
);
