import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveWeeks, previousWeeks, readArchive } from '../../src/playlist/archive.js';
import { runWeeklyJob, type WeeklyJobOptions } from '../../src/playlist/job.js';
import { shareTables } from '../../src/playlist/shared.js';
import { buildTables, recentTables, recentTablesAsync, signalsOptions, tablesOfSignals } from '../../src/playlist/prepare.js';
import { computeSignals } from '../../src/signals/index.js';
import type { ShardResult } from '../../src/playlist/shard.js';
import type { ShardSettings } from '../../src/playlist/tables.js';
import { isoWeek, weekKey } from '../../src/playlist/week.js';
import { saveIndex } from '../../src/retrieve/hnsw.js';
import { weeklyPlaylist, type WeeklyPlaylistOptions } from '../../src/playlist/weekly-playlist.js';
import { resolveRerankOptions } from '../../src/rerank/options.js';
import { REASON_POPULAR } from '../../src/rerank/reranker.js';
import { EVENT_CODE, type EventLog } from '../../src/types.js';
import { Dictionary } from '../../src/data/dictionary.js';
import { makeWorld } from './world.js';
import { parseRunConfig, weeklyOptionsOf } from '../../src/config/run-config.js';
import { lockFileFor } from '../../src/util/run-lock.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'mixtape-weekly-'));
  dirs.push(d);
  return d;
};

const DAY = 86_400_000;
const asOf = Date.UTC(2026, 10, 26); // Thursday of 2026-W48
const world = makeWorld({ users: 300, seed: 5 });
const { data, meta } = world;
const U = data.users.size;

/** Recent events: a few plays per user, a disliked track for every 3rd user, a disliked artist (3 dislikes) for every 5th. */
function recentLog(): EventLog {
  const users: number[] = [];
  const tracks: number[] = [];
  const kinds: number[] = [];
  const times: number[] = [];
  const ms: number[] = [];
  for (let u = 0; u < U; u++) {
    for (let p = 0; p < 4; p++) {
      users.push(u), tracks.push((u * 37 + p * 101) % data.items.size), kinds.push(EVENT_CODE.play), times.push(asOf - (p + 1) * DAY), ms.push(200_000);
    }
    if (u % 3 === 0) users.push(u), tracks.push((u * 53 + 7) % data.items.size), kinds.push(EVENT_CODE.dislike), times.push(asOf - DAY), ms.push(Number.NaN);
    if (u % 5 === 0) {
      const artist = (u * 11) % meta.artists.size;
      for (let j = 0; j < 3; j++) users.push(u), tracks.push(artist * 10 + j), kinds.push(EVENT_CODE.dislike), times.push(asOf - 2 * DAY), ms.push(Number.NaN);
    }
  }
  const n = users.length;
  return {
    length: n,
    users: data.users,
    tracks: data.items,
    user: Int32Array.from(users),
    track: Int32Array.from(tracks),
    timestamp: Float64Array.from(times),
    kind: Uint8Array.from(kinds),
    msPlayed: Float32Array.from(ms),
    artist: Int32Array.from(tracks, (t) => meta.trackArtist[t]),
    artists: meta.artists,
  };
}

const log = recentLog();
const recent = recentTables(data, meta, log, asOf);
const names = { trackIds: data.items.ids, artistIds: meta.artists.ids, trackArtist: meta.trackArtist };
const settings = (rerank: ShardSettings['rerank'] = {}): ShardSettings => ({
  candidates: 300,
  rerank: { asOf, ...rerank },
  weekKey: weekKey(isoWeek(asOf)),
  historySize: 20,
  retrieval: 'exact',
  foldInRecent: true,
});

async function job(o: Partial<WeeklyJobOptions> & { archive?: { indptr: Int32Array; indices: Int32Array } }, week = isoWeek(asOf)) {
  const shards: ShardResult[] = [];
  const tables = buildTables(data, { meta, recent, archive: o.archive });
  const summary = await runWeeklyJob({ tables, settings: settings(), userIds: data.users.ids, names, week, threads: 0, shardSize: 64, onShard: (s) => shards.push(s), ...o });
  return { summary, shards, tables };
}

function rowsOf(shards: ShardResult[]): number[][] {
  const out: number[][] = [];
  for (const s of shards) for (let i = 0; i < s.users.length; i++) out[s.users[i]] = [...s.items.subarray(i * s.size, i * s.size + s.count[i])];
  return out;
}

describe('weekly job', () => {
  it('names the ISO week', () => {
    expect(isoWeek(asOf)).toBe('2026-W48');
    expect(isoWeek(Date.UTC(2027, 0, 1))).toBe('2026-W53');
    expect(isoWeek(Date.UTC(2024, 11, 30))).toBe('2025-W01');
  });

  it('never offers heard, disliked, disliked-artist or last-4-weeks tracks, caps artists and fills every playlist', async () => {
    const archiveDir = tmp();
    // Five earlier weeks in the archive: the last four must not repeat, the fifth may.
    const weeks = ['2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47'];
    for (const [i, w] of weeks.entries()) {
      const lines = ['user_id,track_id'];
      for (let u = 0; u < U; u++) for (let j = 0; j < 5; j++) lines.push(`user-${u},track-${(u * 13 + j * 29 + i * 7) % data.items.size}`);
      writeFileSync(path.join(archiveDir, `${w}.csv`), lines.join('\n') + '\n');
    }
    const last4 = await previousWeeks(archiveDir, '2026-W48', 4);
    expect(last4).toEqual(weeks.slice(1));
    const archive = await readArchive(archiveDir, last4, data.users, data.items);
    const out = path.join(tmp(), 'playlists.csv');
    const { summary, shards } = await job({ archive: archive.rows, archiveDir, out });
    expect(summary.users).toBe(U);
    expect(summary.short).toBe(0);
    expect(summary.refreshed).toBe(U);
    const rows = rowsOf(shards);
    const disliked = recent.dislikedTracks;
    const dislikedArtists = recent.dislikedArtists;
    let checkedArtistBans = 0;
    for (let u = 0; u < U; u++) {
      const row = rows[u];
      expect(row).toHaveLength(30);
      const banned = new Set<number>();
      for (let p = data.seen.indptr[u]; p < data.seen.indptr[u + 1]; p++) banned.add(data.seen.indices[p]);
      for (let p = recent.recent.indptr[u]; p < recent.recent.indptr[u + 1]; p++) banned.add(recent.recent.indices[p]);
      for (let p = disliked.indptr[u]; p < disliked.indptr[u + 1]; p++) banned.add(disliked.indices[p]);
      for (let p = archive.rows.indptr[u]; p < archive.rows.indptr[u + 1]; p++) banned.add(archive.rows.indices[p]);
      const bannedArtists = new Set(dislikedArtists.indices.subarray(dislikedArtists.indptr[u], dislikedArtists.indptr[u + 1]));
      checkedArtistBans += bannedArtists.size;
      const perArtist = new Map<number, number>();
      for (const t of row) {
        expect(banned.has(t)).toBe(false);
        const a = meta.trackArtist[t];
        expect(bannedArtists.has(a)).toBe(false);
        perArtist.set(a, (perArtist.get(a) ?? 0) + 1);
      }
      expect(Math.max(...perArtist.values())).toBeLessThanOrEqual(resolveRerankOptions().artistCap);
    }
    expect(checkedArtistBans).toBeGreaterThan(0);
    // Output and archive landed.
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('user_id,week,position,track_id,artist_id,score,reason');
    expect(csv).toHaveLength(U * 30 + 1);
    expect(csv[1]).toMatch(/^user-0,2026-W48,1,track-\d+,artist-\d+,[-\d.e]+,(because you played|a discovery|new release)/);
    expect(await archiveWeeks(archiveDir)).toContain('2026-W48');
    const again = await readArchive(archiveDir, ['2026-W48'], data.users, data.items);
    expect(again.pairs).toBe(U * 30);
    console.log('exposure', JSON.stringify(summary.exposure));
  });

  it('does not commit its output when another run took its lock meanwhile, nor touch that run\'s lock', async () => {
    const out = path.join(tmp(), 'taken.csv');
    const other = JSON.stringify({ pid: 4242, host: 'batch-07', since: '2026-11-30T00:00:00.000Z', token: 'feedfacefeedface' });
    let shardsSeen = 0;
    // After the first shard the lock is another host's (the run's lease looked lapsed to it).
    const run = job({ out, onShard: () => void (shardsSeen++ === 0 && writeFileSync(lockFileFor(out), other)) });
    await expect(run).rejects.toThrow(/taken\.csv: this weekly run lost its lock \(now held by process 4242 on batch-07, since 2026-11-30T00:00:00\.000Z\), so it stops without committing/);
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(lockFileFor(out), 'utf8')).toBe(other);
  });

  it('gives listeners the model has not seen a playlist folded in from their recent events, when asked', async () => {
    // A newcomer binges one genre this week; a second newcomer only skipped; both unknown to the model.
    const genre = 3;
    const binge: number[] = [];
    for (let t = 0; t < data.items.size && binge.length < 12; t++) if (world.trackGenre[t] === genre && t % 2 === 0) binge.push(t);
    const ids = [...data.users.ids, 'newcomer', 'skipper'];
    const users: number[] = [];
    const tracks: number[] = [];
    const kinds: number[] = [];
    const ms: number[] = [];
    for (const t of binge) users.push(U), tracks.push(t), kinds.push(EVENT_CODE.play), ms.push(200_000);
    users.push(U + 1), tracks.push(binge[0]), kinds.push(EVENT_CODE.skip), ms.push(2_000);
    const n = users.length;
    const newLog: EventLog = {
      length: n,
      users: Dictionary.from(ids),
      tracks: data.items,
      user: Int32Array.from(users),
      track: Int32Array.from(tracks),
      timestamp: Float64Array.from(users, (_, i) => asOf - DAY + i * 60_000),
      kind: Uint8Array.from(kinds),
      msPlayed: Float32Array.from(ms),
      artist: Int32Array.from(tracks, (t) => meta.trackArtist[t]),
      artists: meta.artists,
    };
    const off = recentTables(data, meta, newLog, asOf);
    expect({ added: off.newListeners, left: off.unknownUsers, users: off.users.size }).toEqual({ added: 0, left: 2, users: U });
    const on = recentTables(data, meta, newLog, asOf, { newListeners: true });
    expect({ added: on.newListeners, left: on.unknownUsers, users: on.users.size }).toEqual({ added: 2, left: 0, users: U + 2 });
    expect(on.users.get('newcomer')).toBe(U);
    expect(on.users.get('skipper')).toBe(U + 1);
    const tables = buildTables(data, { meta, recent: on });
    const shards: ShardResult[] = [];
    const summary = await runWeeklyJob({ tables, settings: settings(), userIds: on.users.ids, names, week: isoWeek(asOf), threads: 0, shardSize: 64, onShard: (sh) => shards.push(sh) });
    expect(summary.users).toBe(U + 2);
    // Nothing positive from the skipper: what the average listener plays, without the skipped track.
    expect(summary.cold).toBe(1);
    const skipperList = rowsOf(shards)[U + 1];
    expect(skipperList).toHaveLength(30);
    expect(skipperList).not.toContain(binge[0]);
    const reasons = shards.flatMap((sh) => (sh.users.includes(U + 1) ? [...sh.reason.subarray(sh.users.indexOf(U + 1) * sh.size, (sh.users.indexOf(U + 1) + 1) * sh.size)] : []));
    expect(new Set(reasons)).toEqual(new Set([REASON_POPULAR]));
    const list = rowsOf(shards)[U];
    expect(list).toHaveLength(30);
    expect(list.some((t) => binge.includes(t))).toBe(false);
    // Folded in from the binge alone: the playlist leans to that genre (its share of the catalog is 1/8).
    const share = list.filter((t) => world.trackGenre[t] === genre).length / list.length;
    console.log(`newcomer's playlist: ${(share * 100).toFixed(0)}% from the binged genre`);
    expect(share).toBeGreaterThan(0.5);
    expect(summary.short).toBe(0);
  });

  it('maps the week\'s events the same with the signals stage off the thread, and follows its steps', async () => {
    const steps: number[] = [];
    const off = await recentTablesAsync(data, meta, log, asOf, { newListeners: true, onProgress: (p) => void steps.push(p.done) });
    const on = recentTables(data, meta, log, asOf, { newListeners: true });
    expect(off.recent).toEqual(on.recent);
    expect(off.recent.indices.length).toBeGreaterThan(0);
    expect({ ...off, users: off.users.ids }).toEqual({ ...on, users: on.users.ids });
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(8);
    // The second half alone, from the log's listener and track columns and the stage's result (as the weekly command builds it).
    const heard = { length: log.length, user: log.user, track: log.track, users: log.users, tracks: log.tracks, artists: log.artists };
    const halves = tablesOfSignals(data, meta, heard, computeSignals(log, signalsOptions(asOf, {})), { newListeners: true });
    expect({ ...halves, users: halves.users.ids }).toEqual({ ...on, users: on.users.ids });
  });

  it('builds the week and the archive in shared memory, so the job hands them to its workers without a copy', async () => {
    const archiveDir = tmp();
    writeFileSync(path.join(archiveDir, '2026-W47.csv'), ['user_id,track_id', ...Array.from({ length: U }, (_, u) => `user-${u},track-${u % data.items.size}`)].join('\n') + '\n');
    const archive = (await readArchive(archiveDir, ['2026-W47'], data.users, data.items)).rows;
    const tables = buildTables(data, { meta, recent, archive });
    const shared = shareTables(tables);
    for (const [name, a] of [
      ['recent.indptr', tables.recent!.indptr],
      ['recent.indices', tables.recent!.indices],
      ['recent.pref', tables.recent!.pref],
      ['recent.weight', tables.recent!.weight],
      ['archive.indptr', tables.archive!.indptr],
      ['archive.indices', tables.archive!.indices],
    ] as const) expect(a.buffer instanceof SharedArrayBuffer, name).toBe(true);
    expect(shared.recent!.indices).toBe(tables.recent!.indices);
    expect(shared.recent!.weight).toBe(tables.recent!.weight);
    expect(shared.archive!.indices).toBe(tables.archive!.indices);
  });

  it('writes JSONL and Parquet, and a worker pool gives the same playlists as one thread', async () => {
    const dir = tmp();
    const single = await job({ out: path.join(dir, 'a.jsonl') });
    const pooled = await job({ out: path.join(dir, 'b.parquet'), threads: 2 });
    expect(rowsOf(pooled.shards)).toEqual(rowsOf(single.shards));
    const first = JSON.parse(readFileSync(path.join(dir, 'a.jsonl'), 'utf8').split('\n')[0]);
    expect(Object.keys(first)).toEqual(['user_id', 'week', 'position', 'track_id', 'artist_id', 'score', 'reason']);
    const table = arrow.tableFromIPC(pw.readParquet(readFileSync(path.join(dir, 'b.parquet'))).intoIPCStream());
    expect(table.numRows).toBe(U * 30);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['user_id', 'week', 'position', 'track_id', 'artist_id', 'score', 'reason']);
    expect(table.getChild('track_id')!.get(0)).toBe(first.track_id);
    await expect(job({ out: path.join(dir, 'c.txt') })).rejects.toThrow(/unknown output format/);
  });
});

describe('weeklyPlaylist (one user, fresh feedback)', () => {
  it('moves the playlist toward a genre the user just binged, without retraining', async () => {
    const u = 17;
    const userId = `user-${u}`;
    const taste = world.taste.subarray(u * world.genres, (u + 1) * world.genres);
    const newGenre = [...taste].findIndex((x) => x === 0);
    const share = (rows: { trackId: string }[]): number => rows.filter((r) => world.trackGenre[data.items.get(r.trackId)!] === newGenre).length / rows.length;
    const before = await weeklyPlaylist({ data }, userId, { asOf, meta });
    expect(before).toHaveLength(30);
    const burst = [];
    for (let t = 0; t < data.items.size && burst.length < 15; t++) if (world.trackGenre[t] === newGenre && t % 3 === 0) burst.push({ trackId: `track-${t}`, weight: 4 });
    const after = await weeklyPlaylist({ data }, userId, { asOf, meta, recent: burst });
    console.log(`share of the binged genre: before ${share(before).toFixed(2)}, after ${share(after).toFixed(2)}`);
    expect(share(after)).toBeGreaterThan(share(before) + 0.2);
    const burstIds = new Set(burst.map((b) => b.trackId));
    expect(after.some((r) => burstIds.has(r.trackId))).toBe(false);
    expect(after.some((r) => /because you played/.test(r.reason))).toBe(true);
    // Archive and disliked artists apply to the single-user path too.
    const banned = after.slice(0, 5).map((r) => r.trackId);
    const artist = after[0].artistId!;
    const again = await weeklyPlaylist({ data }, userId, { asOf, meta, recent: burst, archive: banned, dislikedArtists: [artist] });
    expect(again.some((r) => banned.includes(r.trackId) || r.artistId === artist)).toBe(false);
    await expect(weeklyPlaylist({ data }, 'nobody', { asOf, meta })).rejects.toThrow(/unknown user/);
  });

  it('takes raw recent events through the signals stage and builds the weekly job\'s playlist for that user', async () => {
    const { shards } = await job({});
    const jobRows = rowsOf(shards);
    const kindName = ['play', 'skip', 'like', 'dislike', 'playlist_add', 'share', 'other'];
    // Users with plays only, with a disliked track, and with a disliked artist (3 dislikes).
    for (const u of [1, 3, 10, 15]) {
      const events = [];
      for (let e = 0; e < log.length; e++) {
        if (log.user[e] !== u) continue;
        const t = log.track[e];
        const ms = log.msPlayed[e];
        events.push({ trackId: data.items.ids[t], timestamp: new Date(log.timestamp[e]).toISOString(), event: kindName[log.kind[e]], ...(Number.isNaN(ms) ? {} : { msPlayed: ms }), artistId: meta.artists.ids[log.artist![e]] });
      }
      const rows = await weeklyPlaylist({ data }, `user-${u}`, { asOf, meta, candidates: 300, historySize: 20, recentEvents: events, features: { recentPopularity: recent.listeners } });
      expect(rows.map((r) => data.items.get(r.trackId)), `user ${u}`).toEqual(jobRows[u]);
    }
    // Bad events are refused naming the event.
    const bad = [{ trackId: 'track-2', timestamp: asOf - DAY, msPlayed: -1 }, { trackId: 'track-1', timestamp: 'last tuesday', event: 'play' }];
    await expect(weeklyPlaylist({ data }, 'user-1', { asOf, meta, recentEvents: bad })).rejects.toThrow('recentEvents:row 1: negative_duration');
    await expect(weeklyPlaylist({ data }, 'user-1', { asOf, meta, recentEvents: bad.slice(1) })).rejects.toThrow('recentEvents:row 1: bad_timestamp: timestamp "last tuesday"');
    // Named at its own row, with the value given, past a later event and a repeat the job would leave out.
    const third = [bad[1], bad[1], { trackId: 'track-3', timestamp: asOf - DAY, msPlayed: -7 }].map((e, i) => (i < 2 ? { ...e, timestamp: asOf - DAY } : e));
    await expect(weeklyPlaylist({ data }, 'user-1', { asOf, meta, recentEvents: [{ ...third[0], timestamp: asOf + DAY }, ...third] })).rejects.toThrow('recentEvents:row 4: negative_duration: ms_played -7');
    // An event after asOf is left out, as the job leaves it out.
    const later = [{ trackId: 'track-5', timestamp: asOf + DAY, event: 'dislike' }];
    expect(await weeklyPlaylist({ data }, 'user-1', { asOf, meta, recentEvents: later })).toEqual(await weeklyPlaylist({ data }, 'user-1', { asOf, meta }));
  });

  it('folds in a listener the model has not seen from their recent events alone', async () => {
    const genre = 5;
    const binge: { trackId: string; weight: number }[] = [];
    for (let t = 0; t < data.items.size && binge.length < 12; t++) if (world.trackGenre[t] === genre && t % 2 === 1) binge.push({ trackId: `track-${t}`, weight: 3 });
    const rows = await weeklyPlaylist({ data }, 'newcomer', { asOf, meta, recent: binge });
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.userId === 'newcomer')).toBe(true);
    const heard = new Set(binge.map((b) => b.trackId));
    expect(rows.some((r) => heard.has(r.trackId))).toBe(false);
    expect(rows.filter((r) => world.trackGenre[data.items.get(r.trackId)!] === genre).length).toBeGreaterThan(15);
    expect(await weeklyPlaylist({ data }, 'newcomer', { asOf, meta, recent: binge })).toEqual(rows);
    // Nothing on a known track: nothing to fold in.
    const nothing = [{ trackId: 'no-such-track', weight: 3 }];
    await expect(weeklyPlaylist({ data }, 'newcomer', { asOf, meta, recent: nothing })).rejects.toThrow(/unknown user 'newcomer' \(give their recent events as options\.recent/);
    await expect(weeklyPlaylist({ data }, 'newcomer', { asOf, meta })).rejects.toThrow(/unknown user 'newcomer'/);
    // Only a skip on a known track: what the average listener plays, without it.
    const skipped = [{ trackId: 'track-1', weight: 3, pref: 0 as const }, ...nothing];
    const cold = await weeklyPlaylist({ data }, 'newcomer', { asOf, meta, recent: skipped });
    expect(cold).toHaveLength(30);
    expect(cold.map((r) => r.trackId)).not.toContain('track-1');
    expect(new Set(cold.map((r) => r.reason))).toEqual(new Set(['popular with listeners']));
  });

  it('names a bad recent entry by its place and track, and a bad asOf by its value', async () => {
    const call = (o: Partial<WeeklyPlaylistOptions>) => weeklyPlaylist({ data }, 'user-1', { asOf, meta, ...o });
    const ok = { trackId: 'track-2', weight: 1 };
    await expect(call({ recent: [ok, { trackId: 'track-4', weight: -1 }] })).rejects.toThrow("weeklyPlaylist: options.recent[1].weight must be finite and ≥ 0, got -1 (track 'track-4')");
    await expect(call({ recent: [{ trackId: 'no-such-track', weight: Number.NaN }] })).rejects.toThrow(/recent\[0\]\.weight must be finite and ≥ 0, got NaN/);
    await expect(call({ recent: [{ trackId: 'track-4', pref: 3 as 1 }] })).rejects.toThrow("options.recent[0].pref must be 0 (against) or 1 (for), got 3 (track 'track-4')");
    await expect(call({ recent: [{ trackId: 7 as unknown as string }] })).rejects.toThrow('options.recent[0].trackId must be a string, got number');
    await expect(call({ asOf: Number.NaN })).rejects.toThrow(/options\.asOf must be .*, got NaN$/);
    await expect(call({ asOf: new Date('soon') })).rejects.toThrow(/got an invalid Date$/);
    await expect(call({ asOf: '2026-13-01' })).rejects.toThrow(/got "2026-13-01"$/);
    await expect(call({ historySize: -1 })).rejects.toThrow('weeklyPlaylist: options.historySize must be an integer ≥ 1, got -1');
    await expect(call({ candidates: Number.NaN })).rejects.toThrow('weeklyPlaylist: options.candidates must be an integer ≥ 1, got NaN');
    await expect(call({ ef: 0 })).rejects.toThrow('options.ef must be an integer ≥ 1, got 0');
    await expect(call({ retrieval: 'bogus' as 'exact' })).rejects.toThrow(`weeklyPlaylist: options.retrieval must be 'exact' or 'hnsw', got "bogus"`);
    // A misspelt kind would count for nothing; it is named, with the way to map it.
    const skipp = [{ trackId: 'track-2', timestamp: asOf - 3600e3, event: 'skipp' }, { trackId: 'track-3', timestamp: asOf - 7200e3, event: 'skipp' }];
    await expect(call({ recentEvents: skipp })).rejects.toThrow(`recentEvents: unknown event kind "skipp" (2 events): use one of play, skip, like, dislike, playlist_add, share, other, or name it in options.eventAliases (e.g. { "skipp": 'play' })`);
    expect(await call({ recentEvents: skipp, eventAliases: { skipp: 'skip' } })).toHaveLength(30);
    // Not rolled over into March, as Date.parse would.
    await expect(call({ asOf: '2026-02-31' })).rejects.toThrow(/got "2026-02-31"$/);
    // A time without an offset is UTC, as event timestamps are, whatever the machine's zone.
    const iso = new Date(asOf).toISOString().slice(0, 19);
    expect(await call({ asOf: iso })).toEqual(await call({ asOf: Math.floor(asOf / 1000) * 1000 }));
    expect(await call({ recent: [ok, { trackId: 'track-4', weight: 0, pref: 0 }] })).toHaveLength(30);
  });

  it('moves the freshness reference with each call\'s asOf without rebuilding the re-ranker', async () => {
    // Every 7th track released the day before asOf: fresh then, a month later not.
    const releaseMs = Float64Array.from({ length: data.items.size }, (_, t) => (t % 7 === 0 ? asOf - DAY : Date.UTC(2020, 0, 1)));
    const fresh = { ...meta, releaseMs };
    const later = asOf + 30 * DAY;
    const opts = { meta: fresh, freshnessBoost: 2, freshnessHalfLifeDays: 7 };
    const ids = (rows: { trackId: string }[]): string[] => rows.map((r) => r.trackId);
    const own = async (at: number): Promise<string[]> => ids(await weeklyPlaylist({ data: { ...data } }, 'user-9', { ...opts, asOf: at }));
    const shared = { data: { ...data } };
    const now = ids(await weeklyPlaylist(shared, 'user-9', { ...opts, asOf }));
    const then = ids(await weeklyPlaylist(shared, 'user-9', { ...opts, asOf: later }));
    expect(now).toEqual(await own(asOf));
    expect(then).toEqual(await own(later));
    expect(now).not.toEqual(then);
  });

  it('without metadata and without a saved catalog knows no artist, and still fills the playlist', async () => {
    const rows = await weeklyPlaylist({ data }, 'user-17', { asOf });
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.artistId === null)).toBe(true);
  });

  it('counts a history track replayed or skipped since training once: no reason names one track twice', async () => {
    const u = 42;
    const userId = `user-${u}`;
    const row = data.seen.indices.subarray(data.seen.indptr[u], data.seen.indptr[u + 1]);
    const played = [...row].filter((_, j) => data.seen.pref[data.seen.indptr[u] + j] > 0).map((t) => `track-${t}`);
    expect(played.length).toBeGreaterThan(4);
    // Every training track replayed heavily, except the first, now skipped hard enough to net negative.
    const recent = played.map((trackId, j) => (j === 0 ? { trackId, weight: 1e6, pref: 0 as const } : { trackId, weight: 5 }));
    const rows = await weeklyPlaylist({ data }, userId, { asOf, meta, recent });
    const similar = rows.map((r) => /^because you played (\S+)(?: and (\S+))?$/.exec(r.reason)).filter((m) => m !== null);
    expect(similar.length).toBeGreaterThan(10);
    for (const m of similar) {
      expect(m[1]).not.toBe(m[2]);
      expect([m[1], m[2]]).not.toContain(played[0]);
    }
  });

  it('answers from the HNSW index stored beside the model (the online path) with the exact playlist\'s tracks', async () => {
    const dir = tmp();
    const k = data.params.factors;
    await saveIndex(dir, data.itemFactors, k, { M: 16, efConstruction: 200, ef: 400 });
    for (const u of [3, 17, 120]) {
      const userId = `user-${u}`;
      const exact = await weeklyPlaylist({ data }, userId, { asOf, meta });
      const approx = await weeklyPlaylist({ data }, userId, { asOf, meta, retrieval: 'hnsw', indexDir: dir, ef: 400 });
      expect(approx).toHaveLength(30);
      const heard = new Set(data.seen.indices.subarray(data.seen.indptr[u], data.seen.indptr[u + 1]));
      expect(approx.some((r) => heard.has(data.items.get(r.trackId)!))).toBe(false);
      const exactIds = new Set(exact.map((r) => r.trackId));
      expect(approx.filter((r) => exactIds.has(r.trackId)).length).toBeGreaterThanOrEqual(27);
    }
    await expect(weeklyPlaylist({ data }, 'user-3', { asOf, meta, retrieval: 'hnsw', indexDir: tmp() })).rejects.toThrow(/HNSW index/);
    // An index built from other factors is refused, not searched.
    const stale = tmp();
    await saveIndex(stale, data.itemFactors.map((x) => -x), k, { M: 8, efConstruction: 40 });
    await expect(weeklyPlaylist({ data }, 'user-3', { asOf, meta, retrieval: 'hnsw', indexDir: stale })).rejects.toThrow(/other item factors/);
  });

  it('keeps ef a per-call setting: a call with a large ef leaves the next call at the index\'s own', async () => {
    const dir = tmp();
    // A coarse graph, so the search effort visibly changes the candidates.
    await saveIndex(dir, data.itemFactors, data.params.factors, { M: 4, efConstruction: 8, ef: 1 });
    const ids = (rows: { trackId: string }[]): string[] => rows.map((r) => r.trackId);
    const base = { asOf, meta, retrieval: 'hnsw' as const, indexDir: dir, candidates: 40, size: 20 };
    const users = ['user-3', 'user-17', 'user-120', 'user-200'];
    // Each view of the model data gets a runner of its own: `fresh` never saw another ef.
    const fresh = await Promise.all(users.map((u) => weeklyPlaylist({ data: { ...data } }, u, base)));
    const shared = { data: { ...data } };
    const wide = await Promise.all(users.map((u) => weeklyPlaylist(shared, u, { ...base, ef: 2000 })));
    expect(wide.map(ids)).not.toEqual(fresh.map(ids));
    const after = await Promise.all(users.map((u) => weeklyPlaylist(shared, u, base)));
    expect(after.map(ids)).toEqual(fresh.map(ids));
    // Overlapping calls with different ef each get their own.
    const mixed = await Promise.all(users.flatMap((u) => [weeklyPlaylist(shared, u, base), weeklyPlaylist(shared, u, { ...base, ef: 2000 })]));
    expect(mixed.map(ids)).toEqual(users.flatMap((_, i) => [ids(fresh[i]), ids(wide[i])]));
  });
});


describe('fold-in of recent events in the job', () => {
  it('matches Model.foldIn on the training history plus the recent entries', async () => {
    const { Model } = await import('../../src/model/model.js');
    const { refreshQueries } = await import('../../src/playlist/refresh.js');
    const { gram } = await import('../../src/native/index.js');
    const model = new Model(data);
    const u = 42;
    const k = data.params.factors;
    const history = [];
    for (let p = data.seen.indptr[u]; p < data.seen.indptr[u + 1]; p++) history.push({ trackId: data.items.ids[data.seen.indices[p]], weight: data.seen.weight[p], pref: 1 as const });
    const burst = [3, 50, 51, 700];
    for (const t of burst) history.push({ trackId: data.items.ids[t], weight: 2, pref: 1 as const });
    const expected = model.foldInSync(history);
    const indptr = new Int32Array(U + 1);
    for (let v = u + 1; v <= U; v++) indptr[v] = burst.length;
    const recentRows = { indptr, indices: Int32Array.from(burst), pref: new Float32Array(burst.length).fill(1), weight: new Float32Array(burst.length).fill(2) };
    const q = data.userFactors.slice(u * k, (u + 1) * k);
    expect(refreshQueries(q, Int32Array.of(u), data.seen, recentRows, data.itemFactors, gram(data.itemFactors, k), data.params)).toBe(1);
    for (let j = 0; j < k; j++) expect(q[j]).toBeCloseTo(expected[j], 4);
  });
});

describe('the hybrid stage (content similarity blended into the CF score before re-ranking)', () => {
  // Content vectors: the track's genre, blurred by a little per-artist noise.
  const G = world.genres;
  const dim = G + 2;
  const vectors = new Float32Array(data.items.size * dim);
  for (let t = 0; t < data.items.size; t++) {
    const a = meta.trackArtist[t];
    vectors[t * dim + world.trackGenre[t]] = 1;
    vectors[t * dim + G] = 0.2 * Math.sin(a * 1.7);
    vectors[t * dim + G + 1] = 0.2 * Math.cos(a * 2.3);
  }
  const content = { vectors, dim };
  const hybridTables = () => buildTables(data, { meta, recent, features: { content } });
  const withHybrid = (w?: { cf: number; content: number }): ShardSettings => ({ ...settings(), ...(w ? { hybrid: w } : {}) });

  /** Mean cosine between each user's playlist tracks and the genre profile of their training history. */
  function profileFit(rows: number[][]): number {
    let sum = 0;
    let n = 0;
    for (let u = 0; u < U; u++) {
      const profile = new Float64Array(G);
      for (let p = data.seen.indptr[u]; p < data.seen.indptr[u + 1]; p++) if (data.seen.pref[p] > 0) profile[world.trackGenre[data.seen.indices[p]]] += data.seen.weight[p];
      const norm = Math.hypot(...profile);
      for (const t of rows[u]) {
        sum += profile[world.trackGenre[t]] / norm;
        n++;
      }
    }
    return sum / n;
  }

  it('moves every playlist toward the content of the listener\'s history as the content weight grows', async () => {
    const fits: number[] = [];
    for (const w of [undefined, { cf: 1, content: 0.5 }, { cf: 1, content: 2 }]) {
      const { shards } = await job({ tables: hybridTables(), settings: withHybrid(w) });
      const rows = rowsOf(shards);
      expect(rows.every((r) => r.length === 30)).toBe(true);
      fits.push(profileFit(rows));
    }
    console.log(`profile fit of the playlists: content weight 0 ${fits[0].toFixed(3)}, 0.5 ${fits[1].toFixed(3)}, 2 ${fits[2].toFixed(3)}`);
    expect(fits[1]).toBeGreaterThan(fits[0] + 0.01);
    expect(fits[2]).toBeGreaterThan(fits[1] + 0.01);
    // A content weight of 0 is the CF-only job (with the same content diversity), bit for bit.
    const off = await job({ tables: hybridTables(), settings: withHybrid({ cf: 1, content: 0 }) });
    const plain = await job({ tables: hybridTables() });
    expect(rowsOf(off.shards)).toEqual(rowsOf(plain.shards));
  });

  it('gives the same playlists on a worker pool and in weeklyPlaylist as on one thread', async () => {
    const w = { cf: 1, content: 1 };
    const single = await job({ tables: hybridTables(), settings: withHybrid(w) });
    const pooled = await job({ tables: hybridTables(), settings: withHybrid(w), threads: 2 });
    const rows = rowsOf(single.shards);
    expect(rowsOf(pooled.shards)).toEqual(rows);
    const kindName = ['play', 'skip', 'like', 'dislike', 'playlist_add', 'share', 'other'];
    for (const u of [2, 9, 30]) {
      const events = [];
      for (let e = 0; e < log.length; e++) {
        if (log.user[e] !== u) continue;
        const ms = log.msPlayed[e];
        events.push({ trackId: data.items.ids[log.track[e]], timestamp: log.timestamp[e], event: kindName[log.kind[e]], ...(Number.isNaN(ms) ? {} : { msPlayed: ms }), artistId: meta.artists.ids[log.artist![e]] });
      }
      const one = await weeklyPlaylist({ data }, `user-${u}`, { asOf, meta, candidates: 300, historySize: 20, recentEvents: events, features: { recentPopularity: recent.listeners, content }, hybrid: w });
      expect(one.map((r) => data.items.get(r.trackId)), `user ${u}`).toEqual(rows[u]);
    }
  });

  it('takes a tuned run config through weeklyOptionsOf: knobs, hybrid weights and the signals of recent events', async () => {
    const config = parseRunConfig({ hybrid: { cf: 1, content: 1 }, rerank: { lambda: 1, exploration: 0, artistCap: 1 }, signals: { artistDislikeMin: 1 } });
    const opts = weeklyOptionsOf(config);
    expect(opts).toEqual({ lambda: 1, explorationShare: 0, artistCap: 1, hybrid: { cf: 1, content: 1 }, signals: { artistDislikeMin: 1 } });
    const base = { asOf, meta, features: { content } };
    const tuned = await weeklyPlaylist({ data }, 'user-4', { ...base, ...opts });
    expect(tuned).toEqual(await weeklyPlaylist({ data }, 'user-4', { ...base, lambda: 1, explorationShare: 0, artistCap: 1, hybrid: { cf: 1, content: 1 } }));
    // One dislike of another track of the first track's artist: with the config's signals that excludes the artist (2 by default).
    const artist = tuned[0].artistId!;
    const a = meta.artists.get(artist)!;
    const other = [...meta.trackArtist.keys()].find((t) => meta.trackArtist[t] === a && data.items.ids[t] !== tuned[0].trackId)!;
    const recentEvents = [{ trackId: data.items.ids[other], timestamp: asOf - DAY, event: 'dislike', artistId: artist }];
    const { signals: _signals, ...withoutSignals } = opts;
    expect((await weeklyPlaylist({ data }, 'user-4', { ...base, ...withoutSignals, recentEvents })).some((r) => r.artistId === artist)).toBe(true);
    expect((await weeklyPlaylist({ data }, 'user-4', { ...base, ...opts, recentEvents })).some((r) => r.artistId === artist)).toBe(false);
  });

  it('refuses a content weight without content vectors, and bad weights', async () => {
    await expect(job({ settings: withHybrid({ cf: 1, content: 0.5 }) })).rejects.toThrow(/content weight needs content vectors/);
    await expect(job({ tables: hybridTables(), settings: withHybrid({ cf: 0, content: 0 }) })).rejects.toThrow(/cannot both be 0/);
    await expect(weeklyPlaylist({ data }, 'user-1', { asOf, meta, hybrid: { content: 1 } })).rejects.toThrow(/content weight needs content vectors/);
    await expect(weeklyPlaylist({ data }, 'user-1', { asOf, meta, hybrid: { content: -1 } })).rejects.toThrow(/options.hybrid: the content weight must be/);
  });
});
