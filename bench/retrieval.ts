/**
 * Approximate (HNSW) versus exact candidate retrieval, on a trained model's factors (--model) or on
 * generated factors with ALS-like structure (clustered tastes, item norms growing with plays).
 * Exclusions are each user's training history, as in the weekly job.
 *
 * Throughput is counted in users per CPU-second of this process (the machine is shared, so wall
 * time says little), all on this thread. Exact is measured two ways: the native fused score + top-C
 * in blocks of 1024 users per call (the weekly job's path, at matrix-multiply speed), and one user
 * per call (an online query: one vector against the whole item matrix, bound by memory bandwidth).
 * HNSW = hnswlib-node, one query per call. Prints JSON: both exact figures, then for every MIPS
 * space × M × efConstruction the build CPU seconds and, per ef, the recall@C against exact and
 * users/CPU-s with the speed-up over each exact path; `targetMet.perQuery` / `targetMet.batched` say
 * whether any point reached recall ≥ 0.95 at ≥ 5× that path's throughput.
 *
 *   npx tsx bench/retrieval.ts                                         200,000 generated tracks
 *   npx tsx bench/retrieval.ts --model <dir> --queries 1000 --m 16,32 --ef-construction 200
 *   npx tsx bench/retrieval.ts --tracks 20000 --queries 500            a smoke run
 */
import { candidateRecall, exactCandidates, type CandidateLists } from '../src/retrieve/candidates.js';
import { mergeExclusions } from '../src/retrieve/exclusion-rows.js';
import { HnswIndex, type MipsSpace } from '../src/retrieve/hnsw.js';
import { syntheticFactors } from '../src/retrieve/synthetic-factors.js';
import { Model } from '../src/model/model.js';
import { PreparedItemsCache } from '../src/retrieve/prepared-items.js';
import { toShared } from '../src/util/shared-memory.js';
import { BenchFlags, valueFlags } from './args.js';

const flags = BenchFlags.parse(
  valueFlags('model', 'tracks', 'queries', 'factors', 'width', 'm', 'ef-construction', 'ef', 'spaces', 'per-query-sample'),
);
const C = flags.int('width', 100);
const efs = flags.ints('ef', [100, 200, 400, 800]);
const Ms = flags.ints('m', [16, 32]);
const efcs = flags.ints('ef-construction', [200]);
const spaces = flags.choices<MipsSpace>('spaces', ['ip', 'augmented'], ['ip', 'augmented']);
const modelDir = flags.text('model');
const queryCount = flags.int('queries', 1000);

let k: number;
let userFactors: Float32Array;
let itemFactors: Float32Array;
let seen: { indptr: Int32Array; indices: Int32Array };
let source: string;
if (modelDir) {
  const model = await Model.load(modelDir);
  k = model.data.params.factors;
  userFactors = model.data.userFactors;
  itemFactors = model.data.itemFactors;
  seen = model.data.seen;
  source = `trained model ${modelDir}`;
} else {
  k = flags.int('factors', 64);
  const w = syntheticFactors({ users: queryCount, items: flags.int('tracks', 200_000), factors: k, seed: 3 });
  ({ userFactors, itemFactors, seen } = w);
  source = 'generated ALS-like factors';
}
const items = itemFactors.length / k;
const Q = Math.min(queryCount, userFactors.length / k);
// Spread the query users over the whole user range (light and heavy listeners alike).
const step = Math.max(1, Math.floor(userFactors.length / k / Q));
const queryUsers = new Int32Array(Q).map((_, i) => i * step);
const queries = new Float32Array(Q * k);
for (let i = 0; i < Q; i++) queries.set(userFactors.subarray(queryUsers[i] * k, (queryUsers[i] + 1) * k), i * k);
const exclude = mergeExclusions({ tracks: [seen] }, queryUsers);
let norms = [Infinity, 0];
for (let i = 0; i < items; i++) {
  let s = 0;
  for (let j = 0; j < k; j++) s += itemFactors[i * k + j] ** 2;
  norms = [Math.min(norms[0], Math.sqrt(s)), Math.max(norms[1], Math.sqrt(s))];
}
const cpu = (): number => ((c) => (c.user + c.system) / 1e6)(process.cpuUsage());

// The item side quantized once for the kernel's pre-filter, as a model and the weekly job's
// workers hold it (prepared-items.ts; none on builds without VNNI). Its CPU is reported apart.
itemFactors = toShared(itemFactors);
const q0 = cpu();
const prepared = await new PreparedItemsCache().getAsync(itemFactors, k);
const prepareCpuSeconds = cpu() - q0;

// Exact: blocks of 1024 users per native call, on this thread.
exactCandidates(queries.subarray(0, 64 * k), itemFactors, k, C, mergeExclusions({ tracks: [seen] }, queryUsers.subarray(0, 64)), { prepared }); // warm-up
const exact: CandidateLists = { width: C, items: new Int32Array(Q * C), scores: new Float32Array(Q * C) };
const e0 = cpu();
for (let b = 0; b < Q; b += 1024) {
  const e = Math.min(Q, b + 1024);
  const part = exactCandidates(queries.subarray(b * k, e * k), itemFactors, k, C, mergeExclusions({ tracks: [seen] }, queryUsers.subarray(b, e)), { prepared });
  exact.items.set(part.items, b * C);
  exact.scores.set(part.scores, b * C);
}
const exactPerCpuSecond = Q / (cpu() - e0);
// Exact, one user per call: what a single online query costs (recommend for one user, a
// folded-in user), the way HNSW answers too. Scoring one vector against every item reads the
// whole item matrix, so this is bound by memory bandwidth; a subset of the queries suffices.
const Q1 = Math.min(Q, flags.int('per-query-sample', 300));
// With the prepared items (as the engine calls it) and without (each call then takes the float kernel).
const one: CandidateLists = { width: C, items: new Int32Array(C), scores: new Float32Array(C) };
const perQuery = (withPrepared: boolean): number => {
  const p0 = cpu();
  for (let i = 0; i < Q1; i++) {
    const row = { indptr: Int32Array.of(0, exclude.indptr[i + 1] - exclude.indptr[i]), indices: exclude.indices.subarray(exclude.indptr[i], exclude.indptr[i + 1]) };
    exactCandidates(queries.subarray(i * k, (i + 1) * k), itemFactors, k, C, row, { reuse: one, prepared: withPrepared ? prepared : undefined });
  }
  return Q1 / (cpu() - p0);
};
const exactPerQueryUnpreparedPerCpuSecond = perQuery(false);
const exactPerQueryPerCpuSecond = perQuery(true);
process.stderr.write(
  `${source}: ${items} tracks × ${k}, norms ${norms[0].toFixed(3)}–${norms[1].toFixed(3)}; exact ${exactPerCpuSecond.toFixed(0)} users/CPU-s in blocks of 1024, ${exactPerQueryPerCpuSecond.toFixed(0)} one user per call (${exactPerQueryUnpreparedPerCpuSecond.toFixed(0)} without prepared items; preparing took ${prepareCpuSeconds.toFixed(3)} CPU-s)\n`,
);

interface CurvePoint {
  ef: number;
  recall: number;
  usersPerCpuSecond: number;
  /** Versus exact scoring in blocks of 1024 users (the weekly job's path). */
  speedupVsExact: number;
  /** Versus exact scoring of one user per call (an online query's path). */
  speedupVsExactPerQuery: number;
}
const results: { space: MipsSpace; M: number; efConstruction: number; buildCpuSeconds: number; curve: CurvePoint[] }[] = [];
for (const space of spaces) {
  for (const M of Ms) {
    for (const efc of efcs) {
      const b0 = cpu();
      const index = HnswIndex.build(itemFactors, k, { space, M, efConstruction: efc, ef: efs[0] });
      const buildCpuSeconds = cpu() - b0;
      const curve: CurvePoint[] = [];
      for (const ef of efs) {
        index.setEf(ef);
        const s0 = cpu();
        const approx = index.candidates(queries, C, exclude);
        const perCpu = Q / (cpu() - s0);
        const recall = candidateRecall(approx, exact, C);
        const vsBatched = perCpu / exactPerCpuSecond;
        const vsPerQuery = perCpu / exactPerQueryPerCpuSecond;
        curve.push({ ef, recall: +recall.toFixed(4), usersPerCpuSecond: Math.round(perCpu), speedupVsExact: +vsBatched.toFixed(3), speedupVsExactPerQuery: +vsPerQuery.toFixed(2) });
        process.stderr.write(
          `${space} M=${M} efC=${efc} ef=${ef}: recall@${C} ${recall.toFixed(4)}, ${perCpu.toFixed(0)} users/CPU-s (${vsBatched.toFixed(2)}× exact in blocks, ${vsPerQuery.toFixed(1)}× exact per query)\n`,
        );
      }
      results.push({ space, M, efConstruction: efc, buildCpuSeconds: +buildCpuSeconds.toFixed(1), curve });
    }
  }
}
const points = results.flatMap((r) => r.curve.map((c) => ({ space: r.space, M: r.M, efConstruction: r.efConstruction, ...c })));
const at95 = points.filter((c) => c.recall >= 0.95);
const targetBatched = at95.filter((c) => c.speedupVsExact >= 5);
const targetPerQuery = at95.filter((c) => c.speedupVsExactPerQuery >= 5);
const best95 = at95.sort((a, b) => b.speedupVsExact - a.speedupVsExact)[0];
process.stdout.write(
  JSON.stringify(
    {
      source,
      tracks: items,
      factors: k,
      queries: Q,
      width: C,
      itemNorms: { min: norms[0], max: norms[1] },
      exact: { usersPerCpuSecond: Math.round(exactPerCpuSecond), usersPerCall: 1024 },
      exactPerQuery: { usersPerCpuSecond: Math.round(exactPerQueryPerCpuSecond), usersPerCall: 1, sampled: Q1, preparedItems: prepared !== undefined, prepareCpuSeconds: +prepareCpuSeconds.toFixed(3) },
      exactPerQueryUnprepared: { usersPerCpuSecond: Math.round(exactPerQueryUnpreparedPerCpuSecond), usersPerCall: 1, sampled: Q1 },
      hnsw: results,
      fastestAtRecall95: best95 ?? null,
      targetMet: { perQuery: targetPerQuery.length > 0, batched: targetBatched.length > 0 },
      verdict: [
        targetPerQuery.length > 0 ? 'per query, HNSW reaches recall@C ≥ 0.95 at ≥ 5× exact' : 'per query, no HNSW point reached recall@C ≥ 0.95 at ≥ 5× exact',
        targetBatched.length > 0 ? 'HNSW also beats batched exact 5×' : 'batched exact retrieval stays the weekly job\'s default: no HNSW point reached recall ≥ 0.95 at ≥ 5× its throughput',
      ].join('; '),
      loadAverage: (await import('node:os')).loadavg().map((x) => +x.toFixed(2)),
    },
    null,
    2,
  ) + '\n',
);
