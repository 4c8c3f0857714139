import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readCatalog, readEvents, type IngestReport } from '../../data/index.js';
import { eventColumnOptions, ingestPrivacyOptions, type EventColumnFlags, type PrivacyFlags } from '../../config/interaction-source.js';
import { addEventColumnFlags, addPrivacyFlags } from '../load-interactions.js';
import { CONTENT_FILE, Model } from '../../model/model.js';
import type { ModelData } from '../../model/model-data.js';
import { matchArchive, parseArchive, previousWeeks, type ParsedArchive } from '../../playlist/archive.js';
import { trackMetaFromCatalog, trackMetaFromContent, trackMetaFromEvents, type TrackMeta } from '../../playlist/catalog.js';
import { runWeeklyJob } from '../../playlist/job.js';
import { outputFormat } from '../../playlist/output.js';
import { workDirFor } from '../../playlist/work-dir.js';
import { buildTables, contentFeatures, signalsOptions, tablesOfSignals, type HeardLog, type RecentTables } from '../../playlist/prepare.js';
import { DEFAULT_CANDIDATES, type PlaylistTables, type RetrievalMode } from '../../playlist/tables.js';
import { isoWeek, weekKey } from '../../playlist/week.js';
import { RunLock } from '../../util/run-lock.js';
import { DEFAULT_SPACE, INDEX_META_FILE, saveIndex, type MipsSpace } from '../../retrieve/hnsw.js';
import { resolveRerankOptions } from '../../rerank/options.js';
import { applyWeeklyConfig } from '../../config/apply.js';
import { loadRunConfig, type RunConfig } from '../../config/run-config.js';
import { resolveBlendWeights, type ResolvedBlendWeights } from '../../content/hybrid-blend.js';
import type { SignalsConfigInput, SignalsResult } from '../../signals/index.js';
import { computeSignalsAsync } from '../../signals/off-thread.js';
import { defaultThreads } from '../../util/worker-pool.js';
import { date, int, num, oneOf, peakRssMb } from '../options.js';
import { formatIngestLine, ingestJson } from '../ingest-summary.js';
import { createProgress, readProgress, signalsProgress } from '../progress.js';
import { setInterruptNote } from '../interrupt.js';
import { checkModelPseudonyms } from '../model-pseudonyms.js';
import { settleAll } from '../../util/settle-all.js';

interface WeeklyFlags extends PrivacyFlags, EventColumnFlags {
  model: string;
  events: string;
  asOf: number;
  catalog?: string;
  archive?: string;
  archiveWeeks: number;
  size: number;
  out: string;
  candidates: number;
  lambda: number;
  artistCap: number;
  maxGenreShare: number;
  explore: number;
  popularityPenalty: number;
  freshness: number;
  freshnessHalfLife: number;
  seed: number;
  retrieval: RetrievalMode;
  space: MipsSpace;
  m: number;
  efConstruction: number;
  ef: number;
  threads: number;
  shardSize: number;
  resume?: boolean;
  newListeners: boolean;
  checkpointSeconds: number;
  foldIn: boolean;
  cfWeight: number;
  contentWeight: number;
  config?: string;
  skipBad?: boolean;
  json?: boolean;
}

/** The re-ranking defaults of the module, so the command and the API build the same playlists. */
const RERANK = resolveRerankOptions({ asOf: 0 });

export function registerWeekly(program: Command): void {
  const cmd = program
    .command('weekly')
    .description(
      'build every user\'s weekly discovery playlist (user_id, week, position, track_id, artist_id, score, reason) as CSV, JSONL or Parquet by extension; ' +
        'week = ISO week of --as-of (e.g. 2026-W48); the archive is a directory of <week>.csv files (user_id,track_id)',
    )
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--events <file>', 'recent events since training (same schema as the training events): heard, disliked, folded in')
    .requiredOption('--as-of <date>', 'the time the playlists are built for (ISO-8601)', date)
    .option('--catalog <file>', 'track catalog (artist, genres, release date, title); without it they come from the catalog the model was trained with, else artists from the events')
    .option('--archive <dir>', 'playlist archive: earlier weeks are not repeated, this week is added')
    .option('--archive-weeks <n>', 'weeks of the archive kept out of the playlist', int(0), 4)
    .option('--size <n>', 'tracks per playlist', int(1), RERANK.size)
    .requiredOption('--out <file>', 'output file: .csv, .jsonl or .parquet, the text ones gzip-compressed with a further .gz (written atomically)')
    .option('--candidates <n>', 'candidates retrieved per user before re-ranking', int(1), DEFAULT_CANDIDATES)
    .option('--lambda <x>', 'MMR relevance weight (1 = no diversity term)', num(0), RERANK.lambda)
    .option('--artist-cap <n>', 'at most this many tracks per artist', int(1), RERANK.artistCap)
    .option('--max-genre-share <x>', 'no genre above this share of the playlist (1 = off)', num(0), RERANK.maxGenreShare)
    .option('--explore <x>', 'share of slots for discoveries', num(0), RERANK.explorationShare)
    .option('--popularity-penalty <x>', 'β of relevance × (1 + popularity)^−β', num(0), RERANK.popularityPenalty)
    .option('--freshness <x>', 'relevance boost of brand-new releases (0 = off)', num(0), RERANK.freshnessBoost)
    .option('--freshness-half-life <days>', 'half-life of the freshness boost', num(0), RERANK.freshnessHalfLifeDays)
    .option('--seed <n>', 'seed of the discovery draw', int(0), RERANK.seed)
    .option('--content-weight <x>', 'weight of the similarity of each candidate\'s content to the listener\'s history, blended into its CF score before re-ranking (0 = CF only; needs a model trained with a catalog)', num(0), 0)
    .option('--cf-weight <x>', 'weight of the CF score in that blend', num(0), 1)
    .option('--config <file>', 'run config (JSON, e.g. from `mixtape tune`): its re-ranking knobs (lambda, exploration, artistCap), hybrid weights and signals overrides (for the recent events); explicit flags override it')
    .option('--retrieval <mode>', 'exact | hnsw', oneOf('exact', 'hnsw'), 'exact')
    .option('--space <space>', 'HNSW space when the index is built: augmented | ip', oneOf('augmented', 'ip'), DEFAULT_SPACE)
    .option('--m <n>', 'HNSW graph degree when the index is built', int(2), 32)
    .option('--ef-construction <n>', 'HNSW build candidate list', int(1), 200)
    .option('--ef <n>', 'HNSW search candidate list (raised to the number asked)', int(1), 600)
    .option('--threads <n>', 'worker threads (typed, it bounds the signals stage too)', int(1), defaultThreads())
    .option('--shard-size <n>', 'users per shard: one retrieval call and one resumable record each', int(1), 1024)
    .option('--checkpoint-seconds <s>', 'seconds between durable records of completed shards (0 = after every shard)', num(0), 1)
    .option('--resume', 'continue an interrupted run of the same job (same model, inputs and options) from its last completed shard')
    .option('--no-new-listeners', 'leave out listeners the model has not seen (default: those with a recent event on a known track get a playlist folded in from their recent events; with nothing positive, what the average listener plays)')
    .option('--no-fold-in', 'do not re-solve the factors of users with recent events')
    .option('--skip-bad', 'skip malformed event rows instead of failing')
    .option('--json', 'print the summary as JSON on stdout');
  // A model trained with --pseudonymize holds tokens: the recent events' user ids must get the same ones.
  addPrivacyFlags(addEventColumnFlags(cmd, { ids: true })).action(async (flags: WeeklyFlags) => {
      const started = performance.now();
      const config = flags.config ? loadRunConfig(flags.config) : undefined;
      const f = applyWeeklyConfig(flags, config, cmd);
      const hybrid = resolveBlendWeights({ cf: f.cfWeight, content: f.contentWeight }, 'weekly: --cf-weight/--content-weight');
      // The knobs as the job runs them (typed, from --config, or defaults), stated in the JSON summary.
      const rerank = {
        size: f.size,
        lambda: f.lambda,
        artistCap: f.artistCap,
        maxGenreShare: f.maxGenreShare,
        explorationShare: f.explore,
        popularityPenalty: f.popularityPenalty,
        freshnessBoost: f.freshness,
        freshnessHalfLifeDays: f.freshnessHalfLife,
        seed: f.seed,
      };
      // Checked before the model and the week's events are read: a bad knob should not wait for them.
      resolveRerankOptions({ ...rerank, asOf: f.asOf });
      // A bad output name, and another run writing this output, are found now, not after the
      // model and events are read (the job takes the lock).
      outputFormat(f.out);
      await RunLock.check(f.out, 'weekly run');
      // Wall seconds of each stage, for the JSON summary (the job's own are its `seconds`). The model
      // loads during the read: `load` is the wait for it after the read.
      const stageSeconds = { load: 0, read: 0, meta: 0, signals: 0, tables: 0, job: 0 };
      // Resident memory as each stage ends: what a stage leaves held (peakRssMb is the run's peak).
      const stageRssMb = { ...stageSeconds };
      let stageStart = performance.now();
      const endStage = (stage: Stage): void => {
        const now = performance.now();
        stageSeconds[stage] = (now - stageStart) / 1000;
        stageRssMb[stage] = Math.round(process.memoryUsage.rss() / 2 ** 20);
        stageStart = now;
      };
      const { data, tables, meta, recent, ingest, withoutArtist, archiveWeeksUsed, content, week } = await prepareWeek(f, cmd, config, hybrid, endStage);
      const bar = f.json ? undefined : createProgress(`weekly ${week}`, recent.users.size, 'users');
      let summary;
      const work = workDirFor(f.out);
      setInterruptNote(() =>
        existsSync(work) ? `completed shards are kept in ${work}: run the same command with --resume to continue` : `no shard was completed; ${f.out} is unchanged`,
      );
      try {
        summary = await runWeeklyJob({
          tables,
          settings: {
            candidates: Math.max(f.candidates, f.size),
            rerank: { ...rerank, asOf: f.asOf },
            weekKey: weekKey(week),
            historySize: 30,
            retrieval: f.retrieval,
            indexDir: f.model,
            ef: f.ef,
            foldInRecent: f.foldIn,
            hybrid,
          },
          userIds: recent.users.ids,
          names: {
            trackIds: data.items.ids,
            artistIds: meta.artists.ids,
            trackArtist: meta.trackArtist,
            trackTitles: meta.titles,
          },
          week,
          out: f.out,
          archiveDir: f.archive,
          threads: f.threads,
          shardSize: f.shardSize,
          resume: f.resume ?? false,
          checkpointSeconds: f.checkpointSeconds,
          onProgress: (d) => bar?.update(d),
        });
      } finally {
        bar?.stop();
        setInterruptNote(undefined);
      }
      endStage('job');
      const report = {
        ...summary,
        ingest: ingestJson(ingest),
        tracksWithoutArtist: withoutArtist,
        archiveWeeksExcluded: archiveWeeksUsed,
        newListeners: recent.newListeners,
        recentUnknownUsers: recent.unknownUsers,
        recentUnknownTracks: recent.unknownTracks,
        diversity: content ? { space: 'content', dim: content.dim, tracksWithoutContent: content.missing } : { space: 'factors' },
        hybrid,
        rerank,
        candidates: Math.max(f.candidates, f.size),
        stageSeconds,
        stageRssMb,
        totalSeconds: (performance.now() - started) / 1000,
        peakRssMb: peakRssMb(),
      };
      if (f.json) process.stdout.write(JSON.stringify(report) + '\n');
      else {
        process.stderr.write(
          `wrote ${summary.rows} rows for ${summary.users} users (${week}) in ${summary.seconds.toFixed(1)} s ` +
            `(${summary.usersPerSecond.toFixed(0)} users/s) → ${f.out}; ${summary.short} short playlists; ` +
            (summary.cold > 0 ? `${summary.cold} listeners without taste evidence got what the average listener plays; ` : '') +
            (recent.newListeners > 0 ? `${recent.newListeners} new listeners folded in from their recent events; ` : '') +
            (hybrid.content > 0 ? `content blended in (weights cf ${hybrid.cf}, content ${hybrid.content}); ` : '') +
            (summary.resumedShards > 0 ? `resumed after ${summary.resumedShards} completed shards; ` : '') +
            (withoutArtist === data.items.size
              ? 'no track has a known artist (no artist_id column and no --catalog): artist cap, artist exclusions and new-release reasons were off\n'
              : `${summary.exposure.artistsExposed} artists exposed, artist Gini ${summary.exposure.artistGini.toFixed(3)}\n`),
        );
      }
    });
}

type Stage = 'load' | 'read' | 'meta' | 'signals' | 'tables' | 'job';

/** The week's inputs as the job takes them, and what the summary tells of them. */
interface PreparedWeek {
  data: ModelData;
  tables: PlaylistTables;
  meta: TrackMeta;
  recent: RecentTables;
  ingest: IngestReport;
  withoutArtist: number;
  archiveWeeksUsed: string[];
  content: ReturnType<typeof contentFeatures>;
  week: string;
}

/**
 * Everything before the job: the week weighed (weighWeek), its rows in the model's space, the
 * archive matched to the job's listeners, the tables. In functions of their own so that what the
 * job does not need is out of reach once they return: held by the command's own frame, the event
 * log's columns stayed in memory through the whole job (0.7 GB at 21 M events).
 */
async function prepareWeek(f: WeeklyFlags, cmd: Command, config: RunConfig | undefined, hybrid: ResolvedBlendWeights, endStage: (stage: Stage) => void): Promise<PreparedWeek> {
  const week = isoWeek(f.asOf);
  const archiveWeeksUsed = f.archive ? await previousWeeks(f.archive, week, f.archiveWeeks) : [];
  const w = await weighWeek(f, cmd, config, hybrid, endStage, archiveWeeksUsed);
  const { data, meta, content } = w;
  const recent = tablesOfSignals(data, meta, w.heard, w.signals, { newListeners: f.newListeners });
  endStage('signals');
  const archive = w.parsedArchive && matchArchive(w.parsedArchive, recent.users, data.items).rows;
  const tables = buildTables(data, { meta, recent, archive, features: content ? { content } : undefined });
  if (f.retrieval === 'hnsw' && !existsSync(path.join(f.model, INDEX_META_FILE))) {
    const bar = f.json ? undefined : createProgress('building HNSW index', data.items.size, 'tracks');
    await saveIndex(f.model, data.itemFactors, data.params.factors, { space: f.space, M: f.m, efConstruction: f.efConstruction, ef: f.ef }, (d) => bar?.update(d));
    bar?.stop();
  }
  endStage('tables');
  return { data, tables, meta, recent, ingest: w.ingest, withoutArtist: w.withoutArtist, archiveWeeksUsed, content, week };
}

/** The model and the week up to the signals stage's end (see weighWeek). */
interface WeighedWeek {
  data: ModelData;
  ingest: IngestReport;
  meta: TrackMeta;
  withoutArtist: number;
  content: ReturnType<typeof contentFeatures>;
  /** The log's columns the week's rows are built from; its others are left behind. */
  heard: HeardLog;
  signals: SignalsResult;
  parsedArchive: ParsedArchive | undefined;
}

/**
 * Loads the model and reads the week's events side by side, then weighs the events in the signals
 * stage on worker threads while this thread parses the archive's weeks. Only the log's listener
 * and track columns leave it: its timestamps, play times, artists and contexts (three quarters of
 * its bytes) can go before the week's rows are built, where the command's memory peaks.
 */
async function weighWeek(f: WeeklyFlags, cmd: Command, config: RunConfig | undefined, hybrid: ResolvedBlendWeights, endStage: (stage: Stage) => void, archiveWeeksUsed: string[]): Promise<WeighedWeek> {
  // The model loads on a worker thread while this thread reads the week's events. Its manifest
  // is read first, so a wrong directory, key or content weight fails before the read does.
  const manifest = await Model.manifest(f.model);
  checkModelPseudonyms('weekly', f.model, { pseudonyms: manifest.extensions?.pseudonyms }, f);
  if (hybrid.content > 0 && !(CONTENT_FILE in manifest.files)) {
    throw new Error(`weekly: a content weight of ${hybrid.content} needs content vectors, and the model in ${f.model} carries no content model (train it with --catalog)`);
  }
  const loading = Model.load(f.model);
  // A week without fresh events is a week like any other: the playlists come from the model alone.
  const reading = readProgress('reading', !!f.json);
  const readingEvents = readEvents(f.events, { ...eventColumnOptions(f), sharedColumns: true, onProgress: reading.onProgress, asOf: f.asOf, skipBad: f.skipBad ?? false, allowEmpty: true, ...ingestPrivacyOptions(f, 'events') })
    .finally(reading.stop)
    .then((read) => (endStage('read'), read));
  // Both settle before an error of either is thrown: a failed read leaves no load running behind it.
  const [model, { log, report: ingest }] = await settleAll([loading, readingEvents] as const);
  endStage('load');
  // Checked again on what was loaded: a training run may have replaced the directory since.
  checkModelPseudonyms('weekly', f.model, model.data, f);
  if (!f.json) process.stderr.write(`${formatIngestLine(ingest)}\n`);
  const data = model.data;
  // Diversity over content vectors when the model's tracks have content, else over factors.
  const content = contentFeatures(data);
  if (hybrid.content > 0 && !content) {
    throw new Error(`weekly: a content weight of ${hybrid.content} has nothing to blend: none of the ${data.items.size} tracks of the model in ${f.model} has content (its catalog gave no genres, tags or audio features)`);
  }
  let meta: TrackMeta;
  // Artists from the catalog given, else from the catalog the model was trained with, else the events.
  if (f.catalog) meta = trackMetaFromCatalog(await readCatalog(f.catalog), data.items);
  else if (data.content) meta = trackMetaFromContent(data.content.data, data.items);
  else meta = trackMetaFromEvents(log, data.items);
  let withoutArtist = 0;
  for (let t = 0; t < meta.trackArtist.length; t++) if (meta.trackArtist[t] < 0) withoutArtist++;
  endStage('meta');
  const weighing = signalsProgress(!!f.json);
  const stage = computeSignalsAsync(log, {
    ...signalsOptions(f.asOf, config?.signals ? { signals: config.signals as SignalsConfigInput } : {}),
    onProgress: weighing.update,
    // Typed --threads bounds the stage too; by default it takes the cores for a large week.
    ...(cmd.getOptionValueSource('threads') === 'cli' ? { threads: f.threads } : {}),
  }).finally(weighing.stop);
  // The archive's weeks are parsed on this thread while the stage weighs the week on worker
  // threads; their rows are matched to the job's listeners (new ones included) after it.
  const parsing = f.archive ? parseArchive(f.archive, archiveWeeksUsed) : Promise.resolve(undefined);
  const [signals, parsedArchive] = await settleAll([stage, parsing] as const);
  const heard: HeardLog = { length: log.length, user: log.user, track: log.track, users: log.users, tracks: log.tracks, artists: log.artists };
  return { data, ingest, meta, withoutArtist, content, heard, signals, parsedArchive };
}
