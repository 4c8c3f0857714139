/**
 * The embedded default: generate a synthetic listening world, run signals and training as of the
 * start of its last week, run the weekly job for every user (exclusions, re-ranking, reasons),
 * print a few playlists next to the users' planted tastes, and score the playlists against what
 * the users discovered in that last week, beside plain ALS top-N and most-popular.
 */
import { eventWindow } from '../data/event-window.js';
import { accuracyAtK, FactorRanker, interactionRows, mostPopular } from '../eval/index.js';
import { nextWeekSplit } from '../eval/next-week.js';
import { expectedFullPlayRate, generateWorld, worldToEventLog, worldTrackMeta, type World } from '../generate/index.js';
import type { ModelData } from '../model/model-data.js';
import type { TrackMeta } from '../playlist/catalog.js';
import { runWeeklyJob } from '../playlist/job.js';
import { buildTables, recentTables } from '../playlist/prepare.js';
import { formatReason, type ReasonNames } from '../playlist/reasons.js';
import type { ShardResult } from '../playlist/shard.js';
import { DEFAULT_CANDIDATES } from '../playlist/tables.js';
import { isoWeek, weekKey } from '../playlist/week.js';
import { resolveRerankOptions } from '../rerank/options.js';
import { computeSignals } from '../signals/index.js';
import { train } from '../train/train.js';
import type { EventLog, Interactions } from '../types.js';
import { defaultThreads } from '../util/worker-pool.js';

const DAY_MS = 86_400_000;

export interface DemoOptions {
  users?: number;
  tracks?: number;
  weeks?: number;
  seed?: number;
  factors?: number;
  iterations?: number;
  threads?: number;
  /** Users shown with their playlists (default 3). */
  show?: number;
  /** Tracks shown per playlist (default 10 of 30). */
  showTracks?: number;
  /** Write every playlist here (.csv, .jsonl or .parquet), as `mixtape weekly` does. */
  out?: string;
  log?: (line: string) => void;
}

/** One way of filling each user's list, scored on the last week's discoveries. */
export interface ListFigures {
  precision: number;
  recall: number;
  /** Distinct artists per list. */
  artistsPerList: number;
  /** Mean chance (the generator's own skip model) that the user plays a listed track through. */
  plantedFullPlayRate: number;
}

export interface DemoResult {
  events: number;
  users: number;
  tracks: number;
  seconds: { generate: number; signals: number; train: number; weekly: number; total: number };
  weekly: { week: string; playlists: number; rows: number; short: number; usersPerSecond: number; out?: string };
  holdout: { users: number; k: number; weekly: ListFigures; als: ListFigures; mostPopular: ListFigures };
}

export async function runDemo(o: DemoOptions = {}): Promise<DemoResult> {
  const log = o.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const t0 = performance.now();
  const world = generateWorld({ users: o.users ?? 5000, tracks: o.tracks ?? 20000, weeks: o.weeks ?? 8, seed: o.seed ?? 42, bots: { share: 0.02, farms: 4 } });
  const events = worldToEventLog(world);
  const t1 = performance.now();
  const cut = world.endMs - 7 * DAY_MS;
  const signals = computeSignals(events, { asOf: cut });
  const t2 = performance.now();
  const threads = o.threads ?? defaultThreads();
  const model = await train(signals.interactions, { factors: o.factors ?? 64, iterations: o.iterations ?? 12, threads, confidence: 'log', alpha: 2, regularization: 0.05 });
  const data = model.data;
  const t3 = performance.now();

  log(`mixtape demo: ${events.length.toLocaleString('en')} events, ${events.users.size.toLocaleString('en')} accounts, ${events.tracks.size.toLocaleString('en')} tracks over ${world.options.weeks} weeks (seed ${world.options.seed})`);
  const flagged = signals.report.accounts.filter((a) => a.trust < 0.5).length;
  log(`signals as of ${new Date(cut).toISOString().slice(0, 10)}: ${signals.interactions.indices.length.toLocaleString('en')} user–track entries, ${flagged} accounts judged not human (planted bots: ${world.truth.bots.accounts})`);
  log(`trained ALS with ${model.factors} factors in ${((t3 - t2) / 1000).toFixed(1)} s`);

  // The weekly job as `mixtape weekly` runs it: the last two weeks' events give the recent
  // exclusions (disliked tracks and artists) and recent popularity; the model already holds them.
  const meta = worldTrackMeta(world, data.items);
  const recent = recentTables(data, meta, eventWindow(events, cut - 14 * DAY_MS, cut), cut);
  const size = resolveRerankOptions({ asOf: cut }).size;
  const week = isoWeek(cut);
  const names: ReasonNames = { trackIds: data.items.ids, artistIds: meta.artists.ids, trackArtist: meta.trackArtist, trackTitles: meta.titles };
  const lists = new Int32Array(data.users.size * size).fill(-1);
  const shown = sampleUsers(world, data, o.show ?? 3);
  const shownSlots = new Map<number, string[]>();
  const summary = await runWeeklyJob({
    tables: buildTables(data, { meta, recent }),
    settings: { candidates: DEFAULT_CANDIDATES, rerank: { asOf: cut }, weekKey: weekKey(week), historySize: 30, retrieval: 'exact', foldInRecent: false },
    userIds: data.users.ids,
    names,
    week,
    out: o.out,
    threads,
    onShard: (s) => collect(s, lists, shown, shownSlots, meta, names, o.showTracks ?? 10),
  });
  const t4 = performance.now();
  log(`weekly job ${week}: ${summary.users.toLocaleString('en')} playlists of ${size} in ${summary.seconds.toFixed(1)} s (${summary.usersPerSecond.toFixed(0)} users/s)${o.out ? ` → ${o.out}` : ''}`);
  log('');
  printPlaylists(world, data, shown, shownSlots, log);

  const holdout = scoreLists(world, events, data, signals.interactions, lists, size, cut, meta);
  printHoldout(holdout, log);
  const t5 = performance.now();
  return {
    events: events.length,
    users: events.users.size,
    tracks: events.tracks.size,
    seconds: { generate: (t1 - t0) / 1000, signals: (t2 - t1) / 1000, train: (t3 - t2) / 1000, weekly: (t4 - t3) / 1000, total: (t5 - t0) / 1000 },
    weekly: { week, playlists: summary.users, rows: summary.rows, short: summary.short, usersPerSecond: summary.usersPerSecond, ...(o.out ? { out: o.out } : {}) },
    holdout,
  };
}

/** Each shown user's planted taste, then the first tracks of their playlist with reasons. */
function printPlaylists(world: World, data: ModelData, shown: number[], lines: Map<number, string[]>, log: (line: string) => void): void {
  for (const u of shown) {
    const truth = world.truth.users.find((x) => x.id === data.users.ids[u])!;
    const taste = Object.entries(truth.taste.end).slice(0, 3).map(([g, w]) => `${g} ${w.toFixed(2)}`).join(', ');
    log(`${truth.id} — planted taste: ${taste}${truth.taste.driftGenre ? ` (drifting toward ${truth.taste.driftGenre})` : ''}`);
    for (const line of lines.get(u) ?? []) log(line);
  }
}

/** The hold-out table: the playlists beside ALS top-N and most-popular. */
function printHoldout(h: DemoResult['holdout'], log: (line: string) => void): void {
  log('');
  log(`next-week hold-out: ${h.users.toLocaleString('en')} users who discovered tracks in the last week, lists of ${h.k}`);
  log('                   precision  recall  artists/list  planted full-play rate');
  const row = (label: string, f: ListFigures): void =>
    log(`  ${label.padEnd(16)} ${f.precision.toFixed(4).padStart(9)}  ${f.recall.toFixed(4)}  ${f.artistsPerList.toFixed(1).padStart(12)}  ${f.plantedFullPlayRate.toFixed(3).padStart(22)}`);
  row('weekly playlist', h.weekly);
  row(`ALS top-${h.k}`, h.als);
  row('most popular', h.mostPopular);
}

/** Genuine users present from the first week, not heavy listeners: typical lists to show. */
function sampleUsers(world: World, data: ModelData, count: number): number[] {
  const out: number[] = [];
  for (const u of world.truth.users) {
    if (out.length >= count) break;
    const idx = data.users.get(u.id);
    if (u.joinWeek === 0 && !u.heavy && idx !== undefined) out.push(idx);
  }
  return out;
}

/** Copies a shard's lists into `lists` and formats the slots of the users on show. */
function collect(s: ShardResult, lists: Int32Array, shown: number[], lines: Map<number, string[]>, meta: TrackMeta, names: ReasonNames, showTracks: number): void {
  for (let i = 0; i < s.users.length; i++) {
    const u = s.users[i];
    lists.set(s.items.subarray(i * s.size, i * s.size + s.count[i]), u * s.size);
    if (!shown.includes(u)) continue;
    const out: string[] = [];
    for (let j = 0; j < Math.min(s.count[i], showTracks); j++) {
      const p = i * s.size + j;
      const t = s.items[p];
      const artist = meta.trackArtist[t] >= 0 ? meta.artists.ids[meta.trackArtist[t]] : '?';
      const genre = meta.genres && meta.trackGenre && meta.trackGenre[t] >= 0 ? meta.genres.ids[meta.trackGenre[t]] : '?';
      out.push(`   ${String(j + 1).padStart(2)}. ${meta.titles?.[t] || names.trackIds[t]} — ${artist} [${genre}] · ${formatReason(s.reason[p], s.refA[p], s.refB[p], names)}`);
    }
    lines.set(u, out);
  }
}

/** Precision and recall against the last week's discoveries, artists per list and planted fit, for the playlists and two baselines. */
function scoreLists(world: World, events: EventLog, model: ModelData, train: Interactions, lists: Int32Array, k: number, cut: number, meta: TrackMeta): DemoResult['holdout'] {
  const split = nextWeekSplit(events, cut);
  const users = split.users;
  const exclude = interactionRows(train);
  const weekly = new Int32Array(users.length * k);
  for (let r = 0; r < users.length; r++) weekly.set(lists.subarray(users[r] * k, (users[r] + 1) * k), r * k);
  const als = new FactorRanker('als', model.userFactors, model.itemFactors, model.params.factors).recommend(users, k, exclude);
  const popular = mostPopular(exclude).recommend(users, k, exclude);
  const lastWeek = world.options.weeks - 1;
  const worldUser = (u: number): number => world.events.users.get(model.users.ids[u])!;
  const worldTrack = (t: number): number => world.catalog.tracks.get(model.items.ids[t])!;
  const figures = (recs: Int32Array): ListFigures => {
    const acc = accuracyAtK(recs, k, users, split.test, k);
    let artists = 0;
    let fit = 0;
    let slots = 0;
    const seen = new Set<number>();
    for (let r = 0; r < users.length; r++) {
      seen.clear();
      for (let j = 0; j < k; j++) {
        const t = recs[r * k + j];
        if (t < 0) continue;
        seen.add(meta.trackArtist[t]);
        fit += expectedFullPlayRate(world, worldUser(users[r]), worldTrack(t), lastWeek);
        slots++;
      }
      artists += seen.size;
    }
    return { precision: acc.mean.precision, recall: acc.mean.recall, artistsPerList: artists / users.length, plantedFullPlayRate: fit / slots };
  };
  return { users: users.length, k, weekly: figures(weekly), als: figures(als), mostPopular: figures(popular) };
}
