/**
 * Approximate (HNSW) versus exact candidate retrieval on generated factors with realistic
 * structure (clustered, popularity-shaped norms). Prints JSON: exact throughput (native batched
 * scoring + fused top-C, users/s), and for each MIPS space and ef the recall@C against exact and
 * the HNSW throughput (one query per call, users/s), plus the build time and the space that
 * retrieved better.
 *
 *   npx tsx bench/retrieval.ts                               200,000 tracks, k = 64 (full size)
 *   npx tsx bench/retrieval.ts --tracks 20000 --queries 500  a smoke run
 */
import { parseArgs } from 'node:util';
import { candidateRecall, exactCandidates, exactCandidatesAsync, type CandidateLists } from '../src/retrieve/candidates.js';
import { mergeExclusions, userRange } from '../src/retrieve/exclusion-rows.js';
import { HnswIndex, type MipsSpace } from '../src/retrieve/hnsw.js';
import { syntheticFactors } from '../src/retrieve/synthetic-factors.js';

const { values } = parseArgs({
  options: {
    tracks: { type: 'string', default: '200000' },
    queries: { type: 'string', default: '2000' },
    factors: { type: 'string', default: '64' },
    width: { type: 'string', default: '100' },
    m: { type: 'string', default: '16' },
    'ef-construction': { type: 'string', default: '200' },
    ef: { type: 'string', default: '100,200,400,800' },
    spaces: { type: 'string', default: 'augmented,ip' },
  },
});
const items = Number(values.tracks);
const Q = Number(values.queries);
const k = Number(values.factors);
const C = Number(values.width);
const M = Number(values.m);
const efc = Number(values['ef-construction']);
const efs = values.ef!.split(',').map(Number);
const spaces = values.spaces!.split(',') as MipsSpace[];

const world = syntheticFactors({ users: Q, items, factors: k, seed: 3 });
const users = userRange(0, Q);
const exclude = mergeExclusions({ tracks: [world.seen] }, users);

// Exact: batched, two blocks in flight (one per core) on the async native path.
let exact!: CandidateLists;
exactCandidates(world.userFactors.subarray(0, 64 * k), world.itemFactors, k, C, mergeExclusions({ tracks: [world.seen] }, userRange(0, 64))); // warm-up
const t0 = performance.now();
{
  const block = Math.max(1, Math.ceil(Q / 8));
  const parts: Promise<CandidateLists>[] = [];
  for (let b = 0; b < Q; b += block) {
    const ids = userRange(b, Math.min(Q, b + block));
    parts.push(exactCandidatesAsync(world.userFactors.subarray(b * k, (b + ids.length) * k), world.itemFactors, k, C, mergeExclusions({ tracks: [world.seen] }, ids)));
  }
  const done = await Promise.all(parts);
  exact = { width: C, items: new Int32Array(Q * C), scores: new Float32Array(Q * C) };
  let off = 0;
  for (const d of done) {
    exact.items.set(d.items, off);
    exact.scores.set(d.scores, off);
    off += d.items.length;
  }
}
const exactSeconds = (performance.now() - t0) / 1000;
// Exact one user per call, for an honest per-query comparison.
const t1 = performance.now();
const single = Math.min(Q, 200);
for (let u = 0; u < single; u++) exactCandidates(world.userFactors.subarray(u * k, (u + 1) * k), world.itemFactors, k, C, mergeExclusions({ tracks: [world.seen] }, Int32Array.of(u)));
const exactSingleSeconds = (performance.now() - t1) / 1000;

interface CurvePoint {
  ef: number;
  recall: number;
  usersPerSecond: number;
  speedupVsExactBatched: number;
}
const results: { space: MipsSpace; M: number; efConstruction: number; buildSeconds: number; curve: CurvePoint[] }[] = [];
const best: Record<string, number> = {};
for (const space of spaces) {
  const b0 = performance.now();
  const index = HnswIndex.build(world.itemFactors, k, { space, M, efConstruction: efc, ef: efs[0] });
  const buildSeconds = (performance.now() - b0) / 1000;
  const curve: CurvePoint[] = [];
  for (const ef of efs) {
    index.setEf(ef);
    const s = performance.now();
    const approx = index.candidates(world.userFactors.subarray(0, Q * k), C, exclude);
    const seconds = (performance.now() - s) / 1000;
    const recall = candidateRecall(approx, exact, C);
    curve.push({ ef, recall, usersPerSecond: Q / seconds, speedupVsExactBatched: Q / seconds / (Q / exactSeconds) });
    process.stderr.write(`${space} ef=${ef}: recall@${C} ${recall.toFixed(4)}, ${(Q / seconds).toFixed(0)} users/s\n`);
  }
  best[space] = Math.max(...curve.map((c) => c.recall));
  results.push({ space, M, efConstruction: efc, buildSeconds, curve });
}
const target = results.flatMap((r) => r.curve.map((c) => ({ space: r.space, ...c }))).filter((c) => c.recall >= 0.95 && c.speedupVsExactBatched >= 5);
process.stdout.write(
  JSON.stringify(
    {
      tracks: items,
      factors: k,
      queries: Q,
      width: C,
      exact: { usersPerSecondBatched: Q / exactSeconds, usersPerSecondSingle: single / exactSingleSeconds },
      hnsw: results,
      betterSpace: Object.entries(best).sort((a, b) => b[1] - a[1])[0]?.[0],
      targetMet: target.length > 0,
      targetPoints: target,
    },
    null,
    2,
  ) + '\n',
);
