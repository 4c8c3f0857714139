import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerWeekly } from '../../src/cli/commands/weekly.js';
import { saveModelDir } from '../../src/model/format.js';
import { resolveRerankOptions } from '../../src/rerank/options.js';
import { optionDefaults } from '../util/option-defaults.js';
import { makeWorld } from './world.js';
import { attachContent } from '../../src/content/attach.js';
import { readCatalog } from '../../src/data/index.js';
import { Model } from '../../src/model/model.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-weekly-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function weekly(args: string[]): Promise<Record<string, unknown>> {
  const program = new Command().exitOverride();
  registerWeekly(program);
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (lines.push(s), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'mixtape', 'weekly', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return JSON.parse(lines.join(''));
}

describe('mixtape weekly', () => {
  it('refuses a bad re-ranking knob before reading the model or the week', async () => {
    const args = ['--model', path.join(dir, 'no-model'), '--events', path.join(dir, 'no-events.csv'), '--as-of', '2026-11-26', '--out', path.join(dir, 'x.csv'), '--json'];
    await expect(weekly([...args, '--lambda', '2'])).rejects.toThrow('rerank: lambda must be a number in [0, 1], got 2');
    await expect(weekly([...args, '--explore', '1.5'])).rejects.toThrow('rerank: explorationShare must be a number in [0, 1], got 1.5');
  });

  it('writes every playlist, archives the week and keeps it out of the next one', async () => {
    const world = makeWorld({ users: 150, seed: 21, artistsPerGenre: 20, tracksPerArtist: 4 });
    const model = path.join(dir, 'model');
    await saveModelDir(model, world.data, '0.0.0');
    const events = ['user_id,track_id,timestamp,event,ms_played,artist_id'];
    for (let u = 0; u < 150; u++) {
      const t = (u * 7) % world.data.items.size;
      events.push(`user-${u},track-${t},2026-11-24T10:00:00Z,play,180000,artist-${world.meta.trackArtist[t]}`);
    }
    // A listener who joined after training: a playlist from these plays alone, archived like anyone's.
    for (let j = 0; j < 5; j++) events.push(`newbie,track-${j * 3},2026-11-25T10:0${j}:00Z,play,180000,artist-${world.meta.trackArtist[j * 3]}`);
    writeFileSync(path.join(dir, 'recent.csv'), events.join('\n') + '\n');
    const catalog = ['track_id,artist_id,genre,release_date'];
    for (let t = 0; t < world.data.items.size; t++) catalog.push(`track-${t},artist-${world.meta.trackArtist[t]},g${world.trackGenre[t]},2020-01-01`);
    writeFileSync(path.join(dir, 'catalog.csv'), catalog.join('\n') + '\n');
    const archive = path.join(dir, 'archive');
    const common = ['--model', model, '--events', path.join(dir, 'recent.csv'), '--catalog', path.join(dir, 'catalog.csv'), '--archive', archive, '--threads', '1', '--candidates', '200', '--json'];
    const first = await weekly([...common, '--as-of', '2026-11-26T12:00:00Z', '--out', path.join(dir, 'w48.csv')]);
    expect(first.week).toBe('2026-W48');
    expect(first.rows).toBe(151 * 30);
    expect(first.newListeners).toBe(1);
    expect(first.short).toBe(0);
    // Each stage's wall seconds, the job's among them, within the command's.
    const stages = first.stageSeconds as Record<string, number>;
    expect(Object.keys(stages)).toEqual(['load', 'read', 'meta', 'signals', 'tables', 'job']);
    for (const s of Object.values(stages)) expect(s).toBeGreaterThanOrEqual(0);
    expect(stages.job).toBeGreaterThanOrEqual(first.seconds as number);
    expect(Object.values(stages).reduce((a, b) => a + b)).toBeLessThanOrEqual(first.totalSeconds as number);
    // And the memory each stage left held, none above the run's peak.
    const rss = first.stageRssMb as Record<string, number>;
    expect(Object.keys(rss)).toEqual(Object.keys(stages));
    for (const mb of Object.values(rss)) expect(mb > 0 && mb <= (first.peakRssMb as number) + 1).toBe(true);
    const second = await weekly([...common, '--as-of', '2026-12-03T12:00:00Z', '--out', path.join(dir, 'w49.jsonl')]);
    expect(second.archiveWeeksExcluded).toEqual(['2026-W48']);
    const w48 = readFileSync(path.join(dir, 'w48.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const before = new Set(w48.map((r) => `${r[0]}|${r[3]}`));
    const w49 = readFileSync(path.join(dir, 'w49.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(w49).toHaveLength(151 * 30);
    expect(w49.filter((r) => r.user_id === 'newbie')).toHaveLength(30);
    expect(w49.some((r) => before.has(`${r.user_id}|${r.track_id}`))).toBe(false);
    const without = await weekly([...common, '--as-of', '2026-12-03T12:00:00Z', '--out', path.join(dir, 'w49-model-users.csv'), '--no-new-listeners']);
    expect({ rows: without.rows, newListeners: without.newListeners, left: without.recentUnknownUsers }).toEqual({ rows: 150 * 30, newListeners: 0, left: 1 });
    expect(readFileSync(path.join(archive, '2026-W49.csv'), 'utf8').split('\n')[0]).toBe('user_id,track_id');
    console.log('weekly CLI summary', JSON.stringify({ ...second, exposure: second.exposure }));
  });

  it("defaults every re-ranking knob to the module's default, so the command and the API agree", () => {
    const flag = optionDefaults(registerWeekly, 'weekly');
    const d = resolveRerankOptions({ asOf: 0 });
    expect(flag('--size')).toBe(d.size);
    expect(flag('--lambda')).toBe(d.lambda);
    expect(flag('--artist-cap')).toBe(d.artistCap);
    expect(flag('--max-genre-share')).toBe(d.maxGenreShare);
    expect(flag('--explore')).toBe(d.explorationShare);
    expect(flag('--popularity-penalty')).toBe(d.popularityPenalty);
    expect(flag('--freshness')).toBe(d.freshnessBoost);
    expect(flag('--freshness-half-life')).toBe(d.freshnessHalfLifeDays);
    expect(flag('--seed')).toBe(d.seed);
  });

  it('takes the re-ranking knobs and hybrid weights of a tuned run config, with typed flags overriding them', async () => {
    const world = makeWorld({ users: 80, seed: 24, artistsPerGenre: 10, tracksPerArtist: 4 });
    const catalogFile = path.join(dir, 'catalog-hybrid.csv');
    const lines = ['track_id,artist_id,genres,release_date'];
    for (let t = 0; t < world.data.items.size; t++) lines.push(`track-${t},artist-${world.meta.trackArtist[t]},g${world.trackGenre[t]},2020-01-01`);
    writeFileSync(catalogFile, lines.join('\n') + '\n');
    const withContent = path.join(dir, 'model-content');
    const model = new Model(world.data);
    await model.withContent(attachContent(model, await readCatalog(catalogFile)).content).save(withContent);
    const plain = path.join(dir, 'model-plain');
    await saveModelDir(plain, world.data, '0.0.0');
    writeFileSync(path.join(dir, 'recent-hybrid.csv'), 'user_id,track_id,timestamp,event,ms_played\nuser-1,track-3,2026-11-24T10:00:00Z,play,180000\n');
    const config = path.join(dir, 'tuned.json');
    writeFileSync(config, JSON.stringify({ comment: 'mixtape tune', hybrid: { cf: 1, content: 0.8 }, rerank: { lambda: 1, exploration: 0, artistCap: 1 }, signals: { halfLifeDays: 20 } }));
    const args = (model: string, out: string): string[] => ['--model', model, '--events', path.join(dir, 'recent-hybrid.csv'), '--as-of', '2026-11-26', '--out', path.join(dir, out), '--threads', '1', '--json'];
    const tuned = await weekly([...args(withContent, 'tuned.csv'), '--config', config]);
    expect(tuned.hybrid).toEqual({ cf: 1, content: 0.8 });
    expect(tuned.rerank).toMatchObject({ lambda: 1, explorationShare: 0, artistCap: 1, size: 30 });
    const rows = (file: string): string[][] => readFileSync(path.join(dir, file), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    // artistCap 1 and no discoveries, from the config.
    const byUser = new Map<string, string[][]>();
    for (const r of rows('tuned.csv')) byUser.set(r[0], [...(byUser.get(r[0]) ?? []), r]);
    for (const list of byUser.values()) {
      expect(new Set(list.map((r) => r[4])).size).toBe(list.length);
      expect(list.some((r) => r[6].startsWith('a discovery'))).toBe(false);
    }
    // Typed flags win over the config; the same knobs typed give the same playlists.
    const typed = await weekly([...args(withContent, 'typed.csv'), '--content-weight', '0.8', '--lambda', '1', '--explore', '0', '--artist-cap', '1']);
    expect(typed.hybrid).toEqual({ cf: 1, content: 0.8 });
    // Without --json, the summary line says the content was blended in.
    const said: string[] = [];
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (said.push(s), true)) as typeof process.stderr.write;
    try {
      const program = new Command().exitOverride();
      registerWeekly(program);
      await program.parseAsync(['node', 'mixtape', 'weekly', ...args(withContent, 'text.csv').filter((a) => a !== '--json'), '--config', config]);
    } finally {
      process.stderr.write = writeErr;
    }
    expect(said.join('')).toContain('content blended in (weights cf 1, content 0.8)');
    const overridden = await weekly([...args(withContent, 'overridden.csv'), '--config', config, '--content-weight', '0']);
    expect(overridden.hybrid).toEqual({ cf: 1, content: 0 });
    expect(rows('overridden.csv')).not.toEqual(rows('tuned.csv'));
    // Only user-1 has a recent event: the config's half-life (20 days, not 10) weighs it differently.
    const others = (file: string): string[][] => rows(file).filter((r) => r[0] !== 'user-1');
    expect(others('typed.csv')).toEqual(others('tuned.csv'));
    expect(rows('typed.csv')).not.toEqual(rows('tuned.csv'));
    // The config's signals overrides read the recent events: here one dislike excludes an artist (2 by default).
    const top = rows('typed.csv').find((r) => r[0] === 'user-1')!;
    const artist = world.meta.artists.get(top[4])!;
    const other = [...world.meta.trackArtist.keys()].find((t) => world.meta.trackArtist[t] === artist && `track-${t}` !== top[3])!;
    writeFileSync(path.join(dir, 'recent-dislike.csv'), `user_id,track_id,timestamp,event,ms_played,artist_id\nuser-1,track-3,2026-11-24T10:00:00Z,play,180000,artist-${world.meta.trackArtist[3]}\nuser-1,track-${other},2026-11-24T11:00:00Z,dislike,,${top[4]}\n`);
    const strict = path.join(dir, 'strict.json');
    writeFileSync(strict, JSON.stringify({ signals: { artistDislikeMin: 1 } }));
    const disliked = [...args(withContent, 'disliked.csv'), '--config', strict];
    disliked[disliked.indexOf('--events') + 1] = path.join(dir, 'recent-dislike.csv');
    await weekly(disliked);
    const user1 = rows('disliked.csv').filter((r) => r[0] === 'user-1');
    expect(user1).toHaveLength(30);
    expect(user1.some((r) => r[4] === top[4])).toBe(false);
    await expect(weekly([...args(plain, 'no-content.csv'), '--content-weight', '0.5'])).rejects.toThrow(/carries no content model \(train it with --catalog\)/);
    // A catalog of ids and artists alone gives no track any content: diversity stays on the factors, and a content weight is refused.
    const idsOnly = path.join(dir, 'catalog-ids.csv');
    writeFileSync(idsOnly, ['track_id,artist_id', ...Array.from({ length: world.data.items.size }, (_, t) => `track-${t},artist-${world.meta.trackArtist[t]}`)].join('\n') + '\n');
    const bare = path.join(dir, 'model-bare-content');
    await model.withContent(attachContent(model, await readCatalog(idsOnly)).content).save(bare);
    expect((await weekly(args(bare, 'bare.csv'))).diversity).toEqual({ space: 'factors' });
    await expect(weekly([...args(bare, 'bare-hybrid.csv'), '--content-weight', '0.5'])).rejects.toThrow(/has nothing to blend: none of the \d+ tracks/);
    await expect(weekly([...args(withContent, 'zero.csv'), '--cf-weight', '0'])).rejects.toThrow(/cannot both be 0/);
  });

  it('says so when no track has a known artist (no artist_id column, no catalog)', async () => {
    const world = makeWorld({ users: 40, seed: 23 });
    const model = path.join(dir, 'model-no-artist');
    await saveModelDir(model, world.data, '0.0.0');
    writeFileSync(path.join(dir, 'recent-no-artist.csv'), 'user_id,track_id,timestamp,event,ms_played\nuser-1,track-3,2026-11-24T10:00:00Z,play,180000\n');
    const out = await weekly(['--model', model, '--events', path.join(dir, 'recent-no-artist.csv'), '--as-of', '2026-11-26', '--out', path.join(dir, 'na.csv'), '--threads', '1', '--json']);
    expect(out.tracksWithoutArtist).toBe(world.data.items.size);
    expect(out.rows).toBe(40 * 30);
  });

  it('runs a week without fresh events (a header-only or empty file) from the model alone', async () => {
    const model = path.join(dir, 'model-no-artist');
    for (const [name, text] of [['header-only.csv', 'user_id,track_id,timestamp,event,ms_played\n'], ['empty.csv', '']]) {
      writeFileSync(path.join(dir, name), text);
      const out = await weekly(['--model', model, '--events', path.join(dir, name), '--as-of', '2026-11-26', '--out', path.join(dir, `quiet-${name}`), '--threads', '1', '--json']);
      expect({ rows: out.rows, refreshed: out.refreshed, read: (out.ingest as { rows_read: number }).rows_read }).toEqual({ rows: 40 * 30, refreshed: 0, read: 0 });
    }
  });

  it('builds the HNSW index beside the model on first use', async () => {
    const world = makeWorld({ users: 60, seed: 22 });
    const model = path.join(dir, 'model-hnsw');
    await saveModelDir(model, world.data, '0.0.0');
    writeFileSync(path.join(dir, 'recent2.csv'), 'user_id,track_id,timestamp,event,ms_played,artist_id\nuser-1,track-3,2026-11-24T10:00:00Z,play,180000,artist-0\n');
    const out = await weekly(['--model', model, '--events', path.join(dir, 'recent2.csv'), '--as-of', '2026-11-26', '--out', path.join(dir, 'h.csv'), '--retrieval', 'hnsw', '--threads', '1', '--candidates', '100', '--m', '8', '--ef-construction', '40', '--json']);
    expect(out.rows).toBe(60 * 30);
    expect(readFileSync(path.join(model, 'hnsw.json'), 'utf8')).toContain('"space": "augmented"');
  });

  it('reads the week while the model loads: checks its manifest first, and names whichever of the two fails', async () => {
    const model = path.join(dir, 'model-no-artist');
    const events = path.join(dir, 'recent-no-artist.csv');
    const args = (m: string, e: string, out: string): string[] => ['--model', m, '--events', e, '--as-of', '2026-11-26', '--out', path.join(dir, out), '--threads', '1', '--json'];
    const missing = path.join(dir, 'no-such-events.csv');
    // What the manifest tells is refused before the read: the missing events file is never reached.
    await expect(weekly([...args(model, missing, 'early.csv'), '--content-weight', '0.5'])).rejects.toThrow(/carries no content model/);
    await expect(weekly([...args(path.join(dir, 'no-such-model'), missing, 'early.csv')])).rejects.toThrow(/no-such-model: not a mixtape model directory/);
    // A model whose factors do not match its manifest fails its load, after a read that succeeds.
    const broken = path.join(dir, 'model-broken');
    cpSync(model, broken, { recursive: true });
    const items = path.join(broken, 'items.parquet');
    const bytes = readFileSync(items);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(items, bytes);
    await expect(weekly(args(broken, events, 'broken.csv'))).rejects.toThrow(/items\.parquet/);
    // A read that fails with a good model names the events file.
    await expect(weekly(args(model, missing, 'no-events.csv'))).rejects.toThrow(/no-such-events\.csv/);
    for (const out of ['early.csv', 'broken.csv', 'no-events.csv']) expect(existsSync(path.join(dir, out))).toBe(false);
    // And a good pair gives the stages in order, the wait for the model counted after the read.
    const ok = await weekly(args(model, events, 'overlap.csv'));
    const stages = ok.stageSeconds as Record<string, number>;
    expect(Object.keys(stages)).toEqual(['load', 'read', 'meta', 'signals', 'tables', 'job']);
    expect(ok.rows).toBe(40 * 30);
  });
});
