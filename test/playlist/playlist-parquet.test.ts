import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRows, PLAYLIST_COLUMNS, writePlaylistParquet, type PlaylistBatch } from '../../src/playlist/output.js';
import { SeededRandom } from '../../src/eval/random.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-playlist-parquet-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function batch(rng: SeededRandom, length: number, from: number): PlaylistBatch {
  const b: PlaylistBatch = { length, userId: [], position: new Int32Array(length), trackId: [], artistId: [], score: new Float32Array(length), reason: [] };
  for (let i = 0; i < length; i++) {
    b.userId.push(`u${Math.floor((from + i) / 30)}`);
    b.position[i] = ((from + i) % 30) + 1;
    b.trackId.push(`t${rng.nextInt(5000)}`);
    b.artistId.push(rng.nextInt(4) === 0 ? null : `a${rng.nextInt(300)}`);
    b.score[i] = rng.next();
    b.reason.push(rng.nextInt(2) ? 'because you like x' : 'new from y');
  }
  return b;
}

async function readBack(file: string): Promise<{ table: arrow.Table; rowGroups: number }> {
  const bytes = await readFile(file);
  const meta = (await pw.ParquetFile.fromFile(new Blob([bytes]))).metadata();
  return { table: arrow.tableFromIPC(pw.readParquet(bytes).intoIPCStream()), rowGroups: meta.numRowGroups() };
}

describe('writePlaylistParquet', () => {
  it('writes the shards in order as one file of 1,048,576-row groups, empty shards included', async () => {
    const rng = new SeededRandom(3);
    const sizes = [0, 70_000, 1, 0, 65_535, 30];
    const batches: PlaylistBatch[] = [];
    let from = 0;
    for (const n of sizes) {
      batches.push(batch(rng, n, from));
      from += n;
    }
    const shards = batches.map((b) => encodeRows(b, '2026-W49', 'parquet').bytes);
    const read: number[] = [];
    const file = path.join(dir, 'week.parquet');
    await writePlaylistParquet(file, '2026-W49', shards.length, async (s) => (read.push(s), shards[s]));
    expect(read).toEqual([0, 1, 2, 3, 4, 5]);
    const { table, rowGroups } = await readBack(file);
    expect(table.schema.fields.map((f) => f.name)).toEqual([...PLAYLIST_COLUMNS]);
    expect(table.numRows).toBe(from);
    expect(rowGroups).toBe(Math.ceil(from / 1_048_576));
    const all = { userId: batches.flatMap((b) => b.userId), trackId: batches.flatMap((b) => b.trackId), artistId: batches.flatMap((b) => b.artistId), reason: batches.flatMap((b) => b.reason) };
    expect(table.getChild('user_id')!.toArray()).toEqual(all.userId);
    expect(table.getChild('track_id')!.toArray()).toEqual(all.trackId);
    expect([...table.getChild('artist_id')!]).toEqual(all.artistId);
    expect(table.getChild('reason')!.toArray()).toEqual(all.reason);
    expect(new Set(table.getChild('week')!.toArray())).toEqual(new Set(['2026-W49']));
    expect(Array.from(table.getChild('position')!.toArray() as Int32Array)).toEqual(batches.flatMap((b) => Array.from(b.position)));
    expect(Array.from(table.getChild('score')!.toArray() as Float32Array)).toEqual(batches.flatMap((b) => Array.from(b.score)));
  });

  it('writes the columns alone for a week without rows, and refuses a file that exists', async () => {
    const empty = encodeRows(batch(new SeededRandom(1), 0, 0), '2026-W49', 'parquet').bytes;
    const file = path.join(dir, 'empty.parquet');
    await writePlaylistParquet(file, '2026-W49', 2, async () => empty);
    const { table } = await readBack(file);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual([...PLAYLIST_COLUMNS]);
    await expect(writePlaylistParquet(file, '2026-W49', 0, async () => empty)).rejects.toThrow(/EEXIST/);
  });

  it('stops at a shard that cannot be read, with its error', async () => {
    const file = path.join(dir, 'broken.parquet');
    const one = encodeRows(batch(new SeededRandom(2), 10, 0), '2026-W49', 'parquet').bytes;
    await expect(
      writePlaylistParquet(file, '2026-W49', 3, async (s) => {
        if (s === 2) throw new Error('shard 2 is gone');
        return one;
      }),
    ).rejects.toThrow('shard 2 is gone');
  });
});
