/**
 * Micro-benchmarks of the native kernels (tinybench): gram, the ALS half-step (CG and Cholesky at
 * k = 32/64/128) and the fused score + top-k at a few sizes. Kept short (well under a minute); the
 * figures are indicative only on a shared machine.
 */
import { Bench } from 'tinybench';

import { alsHalfStep, gram, nativeInfo, scoreTopK, type AlsHalfStepArgs } from '../src/native/index.js';
import { mulberry32, randomCsr, randomFloats } from '../test/reference/random.js';

const rng = mulberry32(2024);
const bench = new Bench({ time: 150, iterations: 3, warmupTime: 30, warmupIterations: 1 });
/** Floating-point operations per call, for a GFLOP/s column. */
const flops = new Map<string, number>();

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
const csr = randomCsr(rng, rows, cols, 30 / cols);
const nnz = csr.indptr[rows];
for (const k of [32, 64, 128]) {
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
  const cholRows = 250;
  const cholNnz = csr.indptr[cholRows];
  const cholName = `als cholesky ${cholRows} rows nnz=${cholNnz} k=${k}`;
  flops.set(cholName, cholNnz * k * k + (cholRows * k * k * k) / 3);
  bench.add(cholName, () => alsHalfStep({ ...base, solver: 'cholesky', rowEnd: cholRows }));
}

for (const [users, items, k] of [
  [256, 10000, 64],
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

await bench.run();
console.log(nativeInfo());
console.table(
  bench.tasks.map((t) => {
    const r = t.result;
    const mean = r && 'latency' in r ? r.latency.mean : NaN;
    return {
      kernel: t.name,
      'mean ms': mean.toFixed(3),
      'GFLOP/s': ((flops.get(t.name) ?? 0) / (mean * 1e6)).toFixed(2),
      samples: r && 'latency' in r ? r.latency.samplesCount : 0,
    };
  }),
);
