/**
 * The embedded default: generate a synthetic world, run signals and training as of the start of
 * its last week, show a few users' picks next to their planted tastes, and score the picks
 * against what the users actually discovered in that last week.
 */
import { generateWorld, worldToEventLog, type World } from '../generate/index.js';
import { computeSignals } from '../signals/index.js';
import { train } from '../train/train.js';
import { accuracyAtK, FactorRanker, interactionRows, mostPopular } from '../eval/index.js';
import { nextWeekSplit } from '../eval/next-week.js';
import type { Model } from '../model/model.js';

export interface DemoOptions {
  users?: number;
  tracks?: number;
  weeks?: number;
  seed?: number;
  factors?: number;
  iterations?: number;
  threads?: number;
  /** Users shown with their picks (default 3). */
  show?: number;
  log?: (line: string) => void;
}

export interface DemoResult {
  events: number;
  users: number;
  tracks: number;
  seconds: { generate: number; signals: number; train: number; total: number };
  holdout: { users: number; k: number; alsPrecision: number; popularityPrecision: number; alsRecall: number; popularityRecall: number };
}

export async function runDemo(o: DemoOptions = {}): Promise<DemoResult> {
  const log = o.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const t0 = performance.now();
  const world = generateWorld({ users: o.users ?? 5000, tracks: o.tracks ?? 20000, weeks: o.weeks ?? 8, seed: o.seed ?? 42, bots: { share: 0.02, farms: 4 } });
  const events = worldToEventLog(world);
  const t1 = performance.now();
  const cut = world.endMs - 7 * 86_400_000;
  const signals = computeSignals(events, { asOf: cut });
  const t2 = performance.now();
  const model = await train(signals.interactions, { factors: o.factors ?? 64, iterations: o.iterations ?? 12, threads: o.threads, confidence: 'log', alpha: 2, regularization: 0.05 });
  const t3 = performance.now();

  log(`mixtape demo: ${events.length.toLocaleString('en')} events, ${events.users.size.toLocaleString('en')} accounts, ${events.tracks.size.toLocaleString('en')} tracks over ${world.options.weeks} weeks (seed ${world.options.seed})`);
  const flagged = signals.report.accounts.filter((a) => a.trust < 0.5).length;
  log(`signals as of ${new Date(cut).toISOString().slice(0, 10)}: ${signals.interactions.indices.length.toLocaleString('en')} user–track entries, ${flagged} accounts judged not human (planted bots: ${world.truth.bots.accounts})`);
  log(`trained ALS with ${model.factors} factors in ${((t3 - t2) / 1000).toFixed(1)} s`);
  log('');
  await showUsers(world, model, o.show ?? 3, log);

  const split = nextWeekSplit(events, cut);
  const k = 10;
  const exclude = interactionRows(signals.interactions);
  const als = new FactorRanker('als', model.data.userFactors, model.data.itemFactors, model.factors);
  const pop = mostPopular(interactionRows(signals.interactions));
  const a = accuracyAtK(als.recommend(split.users, k, exclude), k, split.users, split.test, k);
  const p = accuracyAtK(pop.recommend(split.users, k, exclude), k, split.users, split.test, k);
  log('');
  log(`next-week hold-out (${a.evaluated} users who discovered tracks in the last week): precision@${k} ALS ${a.mean.precision.toFixed(4)} vs most-popular ${p.mean.precision.toFixed(4)}; recall@${k} ${a.mean.recall.toFixed(4)} vs ${p.mean.recall.toFixed(4)}`);
  const t4 = performance.now();
  return {
    events: events.length,
    users: events.users.size,
    tracks: events.tracks.size,
    seconds: { generate: (t1 - t0) / 1000, signals: (t2 - t1) / 1000, train: (t3 - t2) / 1000, total: (t4 - t0) / 1000 },
    holdout: { users: a.evaluated, k, alsPrecision: a.mean.precision, popularityPrecision: p.mean.precision, alsRecall: a.mean.recall, popularityRecall: p.mean.recall },
  };
}

async function showUsers(world: World, model: Model, count: number, log: (line: string) => void): Promise<void> {
  const cat = world.catalog;
  const picks = world.truth.users.filter((u) => u.joinWeek === 0 && !u.heavy).slice(0, count);
  for (const u of picks) {
    if (model.data.users.get(u.id) === undefined) continue;
    const taste = Object.entries(u.taste.end).slice(0, 3).map(([g, w]) => `${g} ${w.toFixed(2)}`).join(', ');
    log(`${u.id} — planted taste: ${taste}${u.taste.driftGenre ? ` (drifting toward ${u.taste.driftGenre})` : ''}`);
    const recs = await model.recommend(u.id, { n: 8 });
    recs.forEach((r, i) => {
      const t = cat.tracks.get(r.trackId)!;
      const genre = cat.genres[cat.trackGenre[t]];
      const artist = cat.artists.ids[cat.trackArtist[t]];
      log(`   ${String(i + 1).padStart(2)}. ${cat.titles[t]} — ${artist} [${genre}]`);
    });
  }
}
