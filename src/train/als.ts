/**
 * Implicit ALS orchestration (Hu, Koren, Volinsky 2008). The main thread computes the Gram
 * matrix of the fixed side; workers solve row shards of the other side in place over shared
 * memory. Each row's solution depends only on its own entries and the fixed side, so results are
 * bit-identical for any number of threads.
 */
import type { Piscina } from 'piscina';
import { gramAsync, lossFromParts, type AlsHalfStepArgs, type LossArgs, type LossParts } from '../native/index.js';
import type { Interactions, IterationInfo, TrainHooks } from '../types.js';
import type { ResolvedTrainOptions } from './options.js';
import { createTrainPool } from './pool.js';
import { evenRanges } from './ranges.js';
import { transposeOnPool } from './transpose.js';
import { settleAll } from '../util/settle-all.js';
import { shardRows, type Shard } from '../util/shards.js';
import { sharedArray, toSharedInTurns } from '../util/shared-memory.js';
import type { WorkerTask } from './worker.js';

/** One side of the problem: the CSR whose rows are solved and the factor matrix they fill. */
interface Side {
  name: 'user' | 'item';
  indptr: Int32Array;
  indices: Int32Array;
  pref: Float32Array;
  conf: Float32Array;
  factors: Float32Array;
  shards: Shard[];
}

export interface AlsResult {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  iterations: IterationInfo[];
  seconds: number;
}

/**
 * The public hooks and, for benchmarks that time many runs, a pool to reuse. The pool stays out
 * of `train()`'s signature: the module's types would pull in Piscina's, which do not compile for
 * a consumer without resolveJsonModule (they import its package.json).
 */
export interface AlsHooks extends TrainHooks {
  pool?: Piscina;
}

export async function trainAls(inter: Interactions, opts: ResolvedTrainOptions, hooks: AlsHooks = {}): Promise<AlsResult> {
  const started = performance.now();
  // The pool is up before the set-up, whose transpose runs on it too.
  const pool = hooks.pool ?? createTrainPool(opts.threads);
  try {
    const problem = await setUp(inter, opts, hooks, pool);
    const iterations = await sweeps(pool, problem, opts, hooks);
    return { userFactors: problem.users.factors, itemFactors: problem.items.factors, iterations, seconds: (performance.now() - started) / 1000 };
  } finally {
    if (!hooks.pool) await pool.destroy();
  }
}

/** Both sides of the problem in shared memory, and where the sweeps start. */
interface Problem {
  users: Side;
  items: Side;
  gramBuf: Float32Array;
  lossShards: Shard[];
  /** Iterations already done (a checkpoint's). */
  done: number;
}

/**
 * Both sides in shared memory with their shards, and the factors initialised. The per-entry and
 * per-factor passes (confidences, transpose, initial values) run in parts on the pool, and the
 * copies the caller's thread makes go a slice per event-loop turn: on the caller's thread these
 * passes held it for over a second at 30 M entries (bench/train-setup.ts).
 */
async function setUp(inter: Interactions, opts: ResolvedTrainOptions, hooks: AlsHooks, pool: Piscina): Promise<Problem> {
  const m = inter.users.size;
  const n = inter.items.size;
  const k = opts.factors;
  const inParts = (count: number, task: (begin: number, end: number) => WorkerTask): Promise<unknown>[] =>
    evenRanges(count, opts.threads).map(([begin, end]) => pool.run(task(begin, end)));
  // Confidence and the item-major copy are written straight into shared memory: no second copy
  // of any nonzero-sized array is made (the copies are of inputs that are not shared; train()
  // hands over shared ones).
  const weight = await toSharedInTurns(inter.weight);
  const conf = sharedArray(Float32Array, weight.length);
  const params = { alpha: opts.alpha, mode: opts.confidence, epsilon: opts.epsilon };
  const confParts = inParts(weight.length, (begin, end) => ({ op: 'confidence', weight, out: conf, params, begin, end }));
  let userMajor: { indptr: Int32Array; indices: Int32Array; pref: Float32Array };
  try {
    userMajor = { indptr: await toSharedInTurns(inter.indptr), indices: await toSharedInTurns(inter.indices), pref: await toSharedInTurns(inter.pref) };
  } finally {
    await settleAll(confParts);
  }
  const userFactors = sharedArray(Float32Array, m * k);
  const itemFactors = sharedArray(Float32Array, n * k);
  const fills = hooks.initial
    ? []
    : [
        ...inParts(userFactors.length, (begin, end) => ({ op: 'fillRandom', out: userFactors, seed: opts.seed, begin, end })),
        ...inParts(itemFactors.length, (begin, end) => ({ op: 'fillRandom', out: itemFactors, seed: (opts.seed ^ 0x5bd1e995) >>> 0, begin, end })),
      ];
  const transposed = transposeOnPool(pool, { rows: m, cols: n, indptr: userMajor.indptr, indices: userMajor.indices, values: [userMajor.pref, conf] }, opts.threads);
  await settleAll([transposed, ...fills]);
  const itemMajor = await transposed;
  const shardCount = opts.threads * 4;
  const rowOverhead = Math.max(1, Math.round((k * opts.cgSteps) / 8));
  const users: Side = {
    name: 'user',
    ...userMajor,
    conf,
    factors: userFactors,
    shards: shardRows(userMajor.indptr, shardCount, rowOverhead),
  };
  const items: Side = {
    name: 'item',
    indptr: itemMajor.indptr,
    indices: itemMajor.indices,
    pref: itemMajor.values[0],
    conf: itemMajor.values[1],
    factors: itemFactors,
    shards: shardRows(itemMajor.indptr, shardCount, rowOverhead),
  };
  let done = 0;
  if (hooks.initial) {
    checkLength('initial user factors', hooks.initial.userFactors, m * k);
    checkLength('initial item factors', hooks.initial.itemFactors, n * k);
    users.factors.set(hooks.initial.userFactors);
    items.factors.set(hooks.initial.itemFactors);
    done = hooks.initial.completedIterations;
    // Factors past the run's iterations would be saved as if trained for fewer.
    if (!(Number.isInteger(done) && done >= 0 && done <= opts.iterations)) {
      throw new RangeError(`initial.completedIterations must be an integer in [0, iterations = ${opts.iterations}], got ${done}`);
    }
  }
  const gramBuf = sharedArray(Float32Array, k * k);
  // The loss sums one row shard per thread (an empty problem still has one, for Σ|y|²).
  const lossShards = shardRows(userMajor.indptr, opts.threads, k);
  if (lossShards.length === 0) lossShards.push({ begin: 0, end: 0 });
  return { users, items, gramBuf, lossShards, done };
}

/** The sweeps from iteration `done` on; returns the whole history. */
async function sweeps(pool: Piscina, { users, items, gramBuf, lossShards, done }: Problem, opts: ResolvedTrainOptions, hooks: AlsHooks): Promise<IterationInfo[]> {
  const k = opts.factors;
  const iterations: IterationInfo[] = [...(hooks.initial?.history ?? [])];
  // Each half-step's fixed-side Gram is taken once, right after that side is solved, and its
  // diagonal (the sum of squares of each factor column) vouches for every factor being finite.
  await checkedGram(items, gramBuf, k, done);
  for (let it = done; it < opts.iterations; it++) {
    const t0 = performance.now();
    await halfStep(pool, users, items.factors, gramBuf, opts, it + 1);
    await checkedGram(users, gramBuf, k, it + 1);
    await halfStep(pool, items, users.factors, gramBuf, opts, it + 1);
    await checkedGram(items, gramBuf, k, it + 1);
    const seconds = (performance.now() - t0) / 1000;
    const loss = opts.computeLoss ? await computeLoss(pool, users, lossShards, items.factors, opts) : Number.NaN;
    const info: IterationInfo = { iteration: it + 1, seconds, loss };
    iterations.push(info);
    opts.onIteration?.(info);
    await hooks.afterIteration?.({ iteration: it + 1, userFactors: users.factors, itemFactors: items.factors, info, history: iterations });
  }
  return iterations;
}

/** Solves every row of one side against the fixed side, whose Gram is already in gramBuf. */
async function halfStep(pool: Piscina, side: Side, fixed: Float32Array, gramBuf: Float32Array, opts: ResolvedTrainOptions, iteration: number): Promise<void> {
  const tasks = side.shards.map(async (shard, index) => {
    const args: AlsHalfStepArgs = {
      indptr: side.indptr,
      indices: side.indices,
      pref: side.pref,
      conf: side.conf,
      X: side.factors,
      Y: fixed,
      YtY: gramBuf,
      factors: opts.factors,
      regularization: opts.regularization,
      rowBegin: shard.begin,
      rowEnd: shard.end,
      solver: opts.solver,
      cgSteps: opts.cgSteps,
    };
    const task = (attempt: number): WorkerTask => ({ op: 'halfStep', args, side: side.name, shard: index, iteration, attempt });
    try {
      await pool.run(task(0));
    } catch {
      // A worker that threw or died is replaced by Piscina; the shard's rows are untouched
      // (failures happen before the kernel writes), so one retry gives the same bits.
      try {
        await pool.run(task(1));
      } catch (second) {
        throw new Error(
          `training failed: ${side.name} shard ${index} (rows ${shard.begin}–${shard.end - 1}) failed twice in iteration ${iteration}: ${(second as Error)?.message ?? second}`,
        );
      }
    }
  });
  // Every shard settles before a failure is reported (the pool may be destroyed next).
  await settleAll(tasks);
}

/**
 * The loss, summed over one row shard per thread (balanced by nonzeros plus k per row, the cost
 * of a row's quadratic term): at a hundred million nonzeros one worker took as long as the
 * iteration itself. The sum's last bits depend on the shard bounds, so on the thread count.
 */
async function computeLoss(
  pool: Piscina,
  users: Side,
  shards: readonly Shard[],
  itemFactors: Float32Array,
  opts: ResolvedTrainOptions,
): Promise<number> {
  const base: LossArgs = {
    indptr: users.indptr,
    indices: users.indices,
    pref: users.pref,
    conf: users.conf,
    X: users.factors,
    Y: itemFactors,
    factors: opts.factors,
    regularization: opts.regularization,
  };
  const parts = (await Promise.all(shards.map((r) => pool.run({ op: 'loss', args: { ...base, rowBegin: r.begin, rowEnd: r.end } } satisfies WorkerTask)))) as LossParts[];
  const m = users.indptr.length - 1;
  const nnz = users.indptr[m] - users.indptr[0];
  return lossFromParts(parts, m, itemFactors.length / opts.factors, nnz, opts.regularization).normalized;
}

/**
 * Writes the side's Gram into gramBuf. A NaN or Inf must never reach a saved model: a factor that
 * is not finite makes its column's diagonal entry not finite, and only then is the matrix scanned,
 * to fail the run naming the row.
 */
async function checkedGram(side: Side, gramBuf: Float32Array, k: number, iteration: number): Promise<void> {
  await gramAsync(side.factors, k, gramBuf);
  for (let a = 0; a < k; a++) {
    if (Number.isFinite(gramBuf[a * k + a])) continue;
    const f = side.factors;
    for (let i = 0; i < f.length; i++) {
      if (!Number.isFinite(f[i])) throw diverged(`${side.name} factor row ${Math.floor(i / k)} is not finite`, iteration);
    }
    throw diverged(`${side.name} factors overflow (their squares sum past the float range)`, iteration);
  }
}

function diverged(what: string, iteration: number): Error {
  return new Error(`training diverged: ${what} after iteration ${iteration}; lower alpha or raise regularization`);
}

function checkLength(what: string, a: Float32Array, expected: number): void {
  if (a.length !== expected) throw new RangeError(`${what}: length ${a.length}, expected ${expected}`);
}
