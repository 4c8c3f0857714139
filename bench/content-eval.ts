/**
 * Content signals and the hybrid model, measured. Prints one JSON object:
 *
 * - coldArtists: HetRec Last.fm 2K joined with MusicOSet; 20% of the artists are held out entirely
 *   (seeded). Recall@50 of the held-out user–artist pairs when ranking only the cold artists by
 *   content-mapped factors, vs a random ranking and vs tag popularity (users who tagged the artist).
 * - warmHybrid: same data, per-user 20% hold-out. Hybrid weights tuned on an inner validation split
 *   of the training data, then NDCG@20 and catalog coverage@20 of the hybrid vs pure ALS.
 * - coldUsers: the synthetic world; users removed from training are folded in from 0, 1, 3, 10
 *   interactions or 3 onboarding artists; recall@30 of the new tracks they play in the last week.
 *
 *   npx tsx bench/content-eval.ts [--section all|cold|warm|users] [--factors 48] [--iterations 15]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContentModel, type ContentModel } from '../src/content/content-model.js';
import { coldStartContext, coldStartRecommend } from '../src/content/cold-start.js';
import { HybridScorer } from '../src/content/hybrid.js';
import { catalogFactors } from '../src/content/model-factors.js';
import { coldRecall, holdOutItems, rankColdItems } from '../src/content/cold-items-eval.js';
import { readCatalog, type Catalog } from '../src/data/catalog.js';
import { readLastfmInteractions, writeLastfmCatalog } from '../src/data/catalog-lastfm.js';
import { buildCsr } from '../src/data/csr.js';
import { GlobalOrderRanker, RandomRanker } from '../src/eval/baselines.js';
import { accuracyAtK, catalogCoverage } from '../src/eval/metrics.js';
import { SeededRandom } from '../src/eval/random.js';
import { randomHoldout } from '../src/eval/split.js';
import { generateWorld, writeWorld } from '../src/generate/index.js';
import type { Model } from '../src/model/model.js';
import { topKVectors } from '../src/retrieve/exact.js';
import { train } from '../src/train/train.js';
import { EVENT_CODE, type Interactions } from '../src/types.js';
import { BenchFlags } from './args.js';

const flags = BenchFlags.parse({ section: 'value', factors: 'value', iterations: 'value', threads: 'value', seed: 'value' });
const FACTORS = flags.int('factors', 48);
const ITERATIONS = flags.int('iterations', 15);
const THREADS = flags.int('threads', 2);
const SEED = flags.int('seed', 42, 0);
const section = flags.choice('section', ['all', 'cold', 'warm', 'users'] as const, 'all');
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hetrecDir = path.resolve(repoRoot, '../shared/datasets/hetrec2011-lastfm-2k');
const musicosetDir = path.resolve(repoRoot, '../shared/datasets/musicoset');
const work = mkdtempSync(path.join(tmpdir(), 'mixtape-content-eval-'));
const log = (msg: string): void => void process.stderr.write(`${msg}\n`);
const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;

function trainModel(inter: Interactions): Promise<Model> {
  return train(inter, { factors: FACTORS, iterations: ITERATIONS, confidence: 'log', alpha: 1, regularization: 0.01, threads: THREADS, seed: 1 });
}

const allUsers = (n: number): Int32Array => Int32Array.from({ length: n }, (_, u) => u);

/** A seeded random permutation of 0..n-1. */
function shuffled(n: number, seed: number): Int32Array {
  const a = allUsers(n);
  const rng = new SeededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Share of user–artist rows and of plays whose artist matched MusicOSet (has_spotify = 1). */
function interactionJoinRate(catalog: Catalog, all: Interactions): { rowJoinRate: number; playJoinRate: number } {
  const F = catalog.featureNames.length;
  const f = catalog.featureNames.indexOf('has_spotify');
  let rows = 0;
  let plays = 0;
  let totalPlays = 0;
  for (let p = 0; p < all.indices.length; p++) {
    const matched = catalog.features[all.indices[p] * F + f] === 1;
    totalPlays += all.weight[p];
    if (matched) {
      rows++;
      plays += all.weight[p];
    }
  }
  return { rowJoinRate: round(rows / all.indices.length), playJoinRate: round(plays / totalPlays) };
}

/** The catalog without one numeric feature (for an ablation). */
function withoutFeature(catalog: Catalog, name: string): Catalog {
  const F = catalog.featureNames.length;
  const drop = catalog.featureNames.indexOf(name);
  if (drop < 0) return catalog;
  const n = catalog.tracks.size;
  const features = new Float32Array(n * (F - 1));
  for (let t = 0; t < n; t++) for (let j = 0, w = 0; j < F; j++) if (j !== drop) features[t * (F - 1) + w++] = catalog.features[t * F + j];
  return { ...catalog, featureNames: catalog.featureNames.filter((x) => x !== name), features };
}

async function coldArtists(catalog: Catalog, content: ContentModel, all: Interactions, tagUsers: Map<string, number>): Promise<Record<string, unknown>> {
  const split = holdOutItems(all, 0.2, SEED);
  const nCold = split.coldItems.length;
  const t0 = performance.now();
  const model = await trainModel(split.train);
  const trainSeconds = (performance.now() - t0) / 1000;
  const k = model.factors;
  const users = allUsers(all.users.size);
  const K = 50;
  const contentRecall = async (cm: ContentModel): Promise<{ recall: number; evaluated: number; lambda: number; fittedRows: number }> => {
    const f = catalogFactors(cm, model);
    const lists = await rankColdItems(model.data.userFactors, f.factors, k, split.coldItems, K);
    return { ...coldRecall(lists, K, split), lambda: f.map.lambda, fittedRows: f.map.fittedRows };
  };
  const full = await contentRecall(content);
  // Ablation: the same content without the tagger count, the one feature the baseline ranks by.
  const ablated = await contentRecall(buildContentModel(withoutFeature(catalog, 'log_tag_users'), content.data.params));
  const noExclusions = { indptr: new Int32Array(users.length + 1), indices: new Int32Array(0) };
  const random = coldRecall(new RandomRanker(nCold, SEED + 1).recommend(users, K, noExclusions), K, split);
  const tagScores = Float64Array.from(split.coldItems, (i) => tagUsers.get(catalog.tracks.ids[i]) ?? 0);
  const tagPop = coldRecall(new GlobalOrderRanker('tag-popularity', tagScores).recommend(users, K, noExclusions), K, split);
  return {
    artists: all.items.size,
    coldArtists: nCold,
    heldOutPairs: split.test.indptr[split.test.rows],
    trainEntries: split.train.indices.length,
    usersEvaluated: full.evaluated,
    trainSeconds: round(trainSeconds, 2),
    ridgeLambda: round(full.lambda, 6),
    fittedRows: full.fittedRows,
    recallAt50: {
      contentMap: round(full.recall),
      contentMapWithoutTaggerCount: round(ablated.recall),
      random: round(random.recall),
      randomExpected: round(K / nCold),
      tagPopularity: round(tagPop.recall),
    },
    ratioToRandom: round(full.recall / (K / nCold), 2),
    ratioToTagPopularity: round(full.recall / tagPop.recall, 2),
  };
}

interface WarmLists {
  als: Int32Array;
  hybrid: Map<string, Int32Array>;
}

/** ALS top-20 and hybrid top-20 (from top-C candidates) for every user, for each weight. */
async function warmLists(model: Model, content: ContentModel, trainSet: Interactions, grid: number[], C: number, N: number): Promise<WarmLists> {
  const k = model.factors;
  const U = model.data.userFactors;
  const exclude = { indptr: trainSet.indptr, indices: trainSet.indices };
  const als = (await topKVectors(U, model.data.itemFactors, k, N, exclude)).items;
  const cand = await topKVectors(U, model.data.itemFactors, k, C, exclude);
  const blended = catalogFactors(content, model).factors;
  const hybrid = new Map<string, Int32Array>();
  const weights = Float32Array.from(trainSet.weight, (w) => Math.log1p(w));
  for (const source of ['cf', 'blend'] as const) {
    const base = new HybridScorer({ itemFactors: source === 'cf' ? model.data.itemFactors : blended, factors: k, unitContent: content.unitVectors(), dim: content.dim });
    const profiles = base.profiles({ indptr: trainSet.indptr, indices: trainSet.indices, weight: weights });
    // Blended factors change retrieval too: candidates from the scorer's own factors.
    const c = source === 'cf' ? cand : await base.candidates(U, C, exclude);
    for (const w of grid) {
      const scorer = base.withWeights({ cf: 1, content: w });
      // Rescore with the scorer's own CF term so blended factors count in the score as well.
      hybrid.set(`${source}:${w}`, scorer.rerankBlock(U, profiles, c.items, C, N).items);
    }
  }
  return { als, hybrid };
}

async function warmHybrid(content: ContentModel, all: Interactions): Promise<Record<string, unknown>> {
  const N = 20;
  const C = 100;
  const grid = [0, 0.05, 0.1, 0.2, 0.3, 0.5];
  const users = allUsers(all.users.size);
  const n = all.items.size;
  const outer = randomHoldout(all, { fraction: 0.2, seed: SEED });
  const inner = randomHoldout(outer.train, { fraction: 0.2, seed: SEED + 7 });
  // Tune on the inner split only; the outer test set is touched once, at the end.
  const tuneModel = await trainModel(inner.train);
  const tuneLists = await warmLists(tuneModel, content, inner.train, grid, C, N);
  const tuning: Record<string, number> = { als: round(accuracyAtK(tuneLists.als, N, users, inner.test, N).mean.ndcg) };
  let best = 'cf:0';
  let bestNdcg = -1;
  for (const [key, lists] of tuneLists.hybrid) {
    const ndcg = accuracyAtK(lists, N, users, inner.test, N).mean.ndcg;
    tuning[key] = round(ndcg);
    if (ndcg > bestNdcg + 1e-9) {
      bestNdcg = ndcg;
      best = key;
    }
  }
  const model = await trainModel(outer.train);
  const lists = await warmLists(model, content, outer.train, grid, C, N);
  const hybridLists = lists.hybrid.get(best)!;
  const summary = (recs: Int32Array): Record<string, number> => {
    const a20 = accuracyAtK(recs, N, users, outer.test, 20);
    const a10 = accuracyAtK(recs, N, users, outer.test, 10);
    return { ndcgAt20: round(a20.mean.ndcg), precisionAt10: round(a10.mean.precision), recallAt20: round(a20.mean.recall), coverageAt20: round(catalogCoverage(recs, N, 20, n)) };
  };
  const [source, w] = best.split(':');
  return {
    candidates: C,
    tuning: { split: 'inner 20% hold-out of the training data', ndcgAt20: tuning, chosen: { factors: source, contentWeight: Number(w) } },
    als: summary(lists.als),
    hybrid: summary(hybridLists),
    allWeightsOnTest: Object.fromEntries([...lists.hybrid].map(([key, l]) => [key, summary(l)])),
  };
}

function isPositive(kind: number, msPlayed: number): boolean {
  return kind === EVENT_CODE.like || kind === EVENT_CODE.playlist_add || kind === EVENT_CODE.share || (kind === EVENT_CODE.play && !(msPlayed < 30_000));
}

async function coldUsers(): Promise<Record<string, unknown>> {
  const world = generateWorld({ users: 2000, tracks: 5000, weeks: 5, seed: SEED });
  const dir = path.join(work, 'world');
  await writeWorld(world, dir);
  const catalog = await readCatalog(path.join(dir, 'catalog.csv'));
  const ev = world.events;
  const cut = world.endMs - 7 * 86_400_000;
  const nUsers = ev.users.size;
  // Catalog row of each event track (the world writes every track to catalog.csv).
  const trackRow = Int32Array.from(ev.tracks.ids, (id) => catalog.tracks.get(id) ?? -1);
  const before: Set<number>[] = Array.from({ length: nUsers }, () => new Set());
  const firstTracks: number[][] = Array.from({ length: nUsers }, () => []);
  const after: Set<number>[] = Array.from({ length: nUsers }, () => new Set());
  for (let e = 0; e < ev.length; e++) {
    if (ev.flaw[e] !== 0 || !isPositive(ev.kind[e], ev.msPlayed[e])) continue;
    const u = ev.user[e];
    const t = trackRow[ev.track[e]];
    if (ev.timestamp[e] < cut) {
      if (!before[u].has(t)) firstTracks[u].push(t); // events are time-ordered
      before[u].add(t);
    } else after[u].add(t);
  }
  // Test users: enough history to give 10 interactions, and new tracks next week. They are
  // removed from training: the model has never seen them.
  const eligible: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    if (world.population.farm[u] >= 0) continue;
    if (firstTracks[u].length < 10) continue;
    let fresh = 0;
    for (const t of after[u]) if (!before[u].has(t)) fresh++;
    if (fresh > 0) eligible.push(u);
  }
  const order = shuffled(eligible.length, SEED + 3);
  const testUsers = new Set(Array.from(order.subarray(0, Math.min(300, eligible.length)), (j) => eligible[j]));
  const ru: number[] = [];
  const ri: number[] = [];
  for (let e = 0; e < ev.length; e++) {
    if (ev.flaw[e] !== 0 || ev.timestamp[e] >= cut || testUsers.has(ev.user[e]) || !isPositive(ev.kind[e], ev.msPlayed[e])) continue;
    ru.push(ev.user[e]);
    ri.push(trackRow[ev.track[e]]);
  }
  const ones = new Float32Array(ru.length).fill(1);
  const m = buildCsr(nUsers, catalog.tracks.size, Int32Array.from(ru), Int32Array.from(ri), [ones]);
  const inter: Interactions = { users: ev.users, items: catalog.tracks, indptr: m.indptr, indices: m.indices, pref: new Float32Array(m.indices.length).fill(1), weight: m.values[0] };
  const model = await trainModel(inter);
  const regionOf = new Map(world.truth.users.map((u) => [u.id, u.region] as const));
  const onboardingOf = new Map(world.truth.users.map((u) => [u.id, u.onboardingArtists] as const));
  const ctx = coldStartContext(model, { catalog, userRegions: regionOf });
  const K = 30;
  const recall = async (make: (u: number) => Parameters<typeof coldStartRecommend>[1]): Promise<number> => {
    let sum = 0;
    for (const u of testUsers) {
      const fresh = [...after[u]].filter((t) => !before[u].has(t));
      const got = await coldStartRecommend(ctx, make(u), { n: K });
      let hits = 0;
      for (const r of got.items) if (fresh.includes(catalog.tracks.get(r.trackId)!)) hits++;
      sum += hits / fresh.length;
    }
    return sum / testUsers.size;
  };
  const byInteractions: Record<string, number> = {};
  for (const n of [0, 1, 3, 10]) {
    byInteractions[String(n)] = round(
      await recall((u) => ({ region: regionOf.get(ev.users.ids[u]), history: firstTracks[u].slice(0, n).map((t) => ({ trackId: catalog.tracks.ids[t] })) })),
    );
  }
  const onboarding = round(await recall((u) => ({ region: regionOf.get(ev.users.ids[u]), artists: onboardingOf.get(ev.users.ids[u]) ?? [] })));
  const popularityOnly = round(await recall(() => ({})));
  return {
    world: { users: nUsers, tracks: catalog.tracks.size, events: ev.length, weeks: 5 },
    catalogReport: { tracks: catalog.report.tracks, features: catalog.featureNames, genres: catalog.genres.vocab.size, tags: catalog.tags.vocab.size },
    testUsers: testUsers.size,
    recallAt30: { byInteractions, onboarding3Artists: onboarding, globalPopularity: popularityOnly },
    onboardingVsPopularity: round(onboarding / byInteractions['0'], 2),
  };
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = { note: 'figures from one run on a shared 2-core machine; timings are indicative only', factors: FACTORS, iterations: ITERATIONS, seed: SEED };
  if (section === 'all' || section === 'cold' || section === 'warm') {
    if (!existsSync(hetrecDir) || !existsSync(musicosetDir)) {
      out.lastfm = `skipped: ${path.relative(repoRoot, hetrecDir)} or ${path.relative(repoRoot, musicosetDir)} not found`;
    } else {
      const file = path.join(work, 'lastfm-artists.csv');
      const { stats, tagUsers } = await writeLastfmCatalog(hetrecDir, musicosetDir, file);
      const catalog = await readCatalog(file);
      const content = buildContentModel(catalog, { textDims: 32, seed: SEED });
      const all = await readLastfmInteractions(hetrecDir, catalog);
      out.join = { ...stats, joinRate: round(stats.joinRate), ...interactionJoinRate(catalog, all) };
      out.catalog = {
        artists: catalog.tracks.size,
        features: catalog.report.features.map((f) => ({ name: f.name, present: f.present, imputedMedian: f.imputedMedian })),
        genres: catalog.genres.vocab.size,
        tags: catalog.tags.vocab.size,
        withoutTags: catalog.report.tracksWithoutTags,
        withoutGenres: catalog.report.tracksWithoutGenres,
        contentDim: content.dim,
      };
      log(`join: ${stats.matched}/${stats.hetrecArtists} artists matched (${(100 * stats.joinRate).toFixed(1)}%)`);
      if (section !== 'warm') out.coldArtists = await coldArtists(catalog, content, all, tagUsers);
      if (section !== 'cold') out.warmHybrid = await warmHybrid(content, all);
    }
  }
  if (section === 'all' || section === 'users') out.coldUsers = await coldUsers();
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
