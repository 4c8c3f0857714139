/**
 * Micro-benchmarks of the native kernels (tinybench) at several sizes: the reference sgemm, gram,
 * the ALS half-step (CG at k = 32…256, Cholesky at k = 32…128), the implicit loss, the fused
 * score + top-k and the re-ranker's row dots (float64 sums, so far below the float32 rates). Each
 * row shows GFLOP/s and that rate as a % of the one-thread sgemm rate measured in the same run.
 * Kept short (well under a minute); on a shared machine the % column is steadier than the times.
 *
 *   npm run bench:kernels
 */
import { Bench } from 'tinybench';

import { alsHalfStep, gram, implicitLoss, nativeInfo, rowDots, scoreTopK, sgemmBench, type AlsHalfStepArgs } from '../src/native/index.js';
import { mulberry32, randomCsr, randomCsrPerRow, randomFloats } from '../test/reference/random.js';

const rng = mulberry32(2024);
const bench = new Bench({ time: 150, iterations: 3, warmupTime: 30, warmupIterations: 1 });
/** Floating-point operations per call, for a GFLOP/s column. */
const flops = new Map<string, number>();

const sgemmShape = { m: 512, n: 512, k: 512 };
const sgemmName = `sgemm ${sgemmShape.m}×${sgemmShape.n}×${sgemmShape.k} (reference)`;
flops.set(sgemmName, 2 * sgemmShape.m * sgemmShape.n * sgemmShape.k);
bench.add(sgemmName, () => {
  sgemmBench({ ...sgemmShape, reps: 1 });
});

for (const k of [64, 128]) {
  const n = 20000;
  const Y = randomFloats(rng, n * k);
  const out = new Float32Array(k * k);
  const name = `gram n=${n} k=${k}`;
  flops.set(name, n * k * k); // syrk: n·k(k+1)/2 multiply-adds
  bench.add(name, () => {
    gram(Y, k, out);
  });
}

const rows = 1000;
const cols = 5000;
const csr = randomCsr(rng, rows, cols, 50 / cols);
const nnz = csr.indptr[rows];
for (const k of [32, 64, 128, 256]) {
  const X = randomFloats(rng, rows * k, -0.1, 0.1);
  const Y = randomFloats(rng, cols * k, -0.1, 0.1);
  const base: AlsHalfStepArgs = {
    indptr: csr.indptr, indices: csr.indices, pref: csr.pref, conf: csr.conf,
    X, Y, YtY: gram(Y, k), factors: k, regularization: 0.05,
    rowBegin: 0, rowEnd: rows, solver: 'cg', cgSteps: 3,
  };
  const cgName = `als cg3 ${rows} rows nnz=${nnz} k=${k}`;
  flops.set(cgName, 4 * (2 * nnz * k * 2 + rows * 2 * k * k));
  bench.add(cgName, () => alsHalfStep(base));
  if (k > 128) continue;
  const cholRows = 250;
  const cholNnz = csr.indptr[cholRows];
  const cholName = `als cholesky ${cholRows} rows nnz=${cholNnz} k=${k}`;
  flops.set(cholName, cholNnz * k * (k + 1) + (cholRows * k * k * k) / 3);
  bench.add(cholName, () => alsHalfStep({ ...base, solver: 'cholesky', rowEnd: cholRows }));
}

// The loss on listening-log shapes: more users than items; the large one has factor matrices far
// beyond the caches (rows of Y are read at random, once per nonzero).
const lossShapes = [
  { csr: randomCsr(rng, 4000, 2000, 100 / 2000), ks: [32, 64, 128] },
  { csr: randomCsrPerRow(rng, 250_000, 300_000, 10), ks: [64] },
];
for (const { csr: lossCsr, ks } of lossShapes) {
  const { rows: lossRows, cols: lossCols } = lossCsr;
  const lossNnz = lossCsr.indptr[lossRows];
  for (const k of ks) {
    const X = randomFloats(rng, lossRows * k, -0.1, 0.1);
    const Y = randomFloats(rng, lossCols * k, -0.1, 0.1);
    const name = `loss ${lossRows} rows × ${lossCols} cols nnz=${lossNnz} k=${k}`;
    // The grams YᵀY and XᵀX (half of k² multiply-adds per row each) and a dot product per nonzero.
    flops.set(name, (lossCols + lossRows) * k * k + 2 * lossNnz * k);
    bench.add(name, () => implicitLoss({ ...lossCsr, X, Y, factors: k, regularization: 0.05 }));
  }
}

for (const [users, items, k] of [
  [256, 10000, 64],
  [256, 50000, 32],
  [256, 50000, 64],
  [128, 50000, 128],
] as const) {
  const U = randomFloats(rng, users * k);
  const V = randomFloats(rng, items * k);
  const n = 50;
  const exclude = randomCsr(rng, users, items, 20 / items);
  const outItems = new Int32Array(users * n);
  const outScores = new Float32Array(users * n);
  const name = `scoreTopK ${users}×${items} k=${k} n=${n}`;
  flops.set(name, 2 * users * items * k);
  bench.add(name, () =>
    scoreTopK({ U, V, factors: k, userBegin: 0, userEnd: users, n, exclude, outItems, outScores }),
  );
}

// The re-ranker's calls: one pick's row against a user's candidates, 100 picks a task.
for (const [dim, count] of [[32, 200], [64, 200], [64, 1000], [128, 500]] as const) {
  const tracks = 20000;
  const V = randomFloats(rng, tracks * dim);
  const rows = Int32Array.from({ length: count }, () => Math.floor(rng() * tracks));
  const out = new Float64Array(count);
  const calls = 100;
  const name = `rowDots ${calls}× ${count} rows dim=${dim}`;
  flops.set(name, calls * 2 * count * dim);
  bench.add(name, () => {
    for (let c = 0; c < calls; c++) rowDots(V, dim, rows, count, rows[c % count], out);
  });
}

await bench.run();
console.log(nativeInfo());
const rate = (name: string): number => {
  const r = bench.tasks.find((t) => t.name === name)?.result;
  const mean = r && 'latency' in r ? r.latency.mean : NaN;
  return (flops.get(name) ?? 0) / (mean * 1e6);
};
const sgemmRate = rate(sgemmName);
console.table(
  bench.tasks.map((t) => {
    const r = t.result;
    const mean = r && 'latency' in r ? r.latency.mean : NaN;
    const gflops = rate(t.name);
    return {
      kernel: t.name,
      'mean ms': mean.toFixed(3),
      'GFLOP/s': gflops.toFixed(2),
      '% sgemm': ((100 * gflops) / sgemmRate).toFixed(0),
      samples: r && 'latency' in r ? r.latency.samplesCount : 0,
    };
  }),
);
