import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerWeekly } from '../../src/cli/commands/weekly.js';
import { saveModelDir } from '../../src/model/format.js';
import { resolveRerankOptions } from '../../src/rerank/options.js';
import { optionDefaults } from '../util/option-defaults.js';
import { makeWorld } from './world.js';

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
});
