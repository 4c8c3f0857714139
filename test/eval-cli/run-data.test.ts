import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunData } from '../../src/eval/run-data.js';
import { makeSplit, makeValidationSplit } from '../../src/eval/run-split.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-rundata-'));
  // Ratings with times: user a rates 6 movies over time, user b 5; ratings below 4 are not positives.
  const rows = [
    ['a', 'm1', 5, 100], ['a', 'm2', 4, 200], ['a', 'm3', 2, 300], ['a', 'm4', 4.5, 400], ['a', 'm5', 4, 500], ['a', 'm6', 5, 600],
    ['b', 'm1', 4, 150], ['b', 'm3', 5, 250], ['b', 'm5', 3, 350], ['b', 'm6', 4, 450], ['b', 'm7', 5, 550],
  ];
  await writeFile(path.join(dir, 'ratings.csv'), 'userId,movieId,rating,timestamp\n' + rows.map((r) => r.join(',')).join('\n') + '\n');
  // One positive per user: a 20% hold-out rounds to nothing, so no user can be tested.
  await writeFile(path.join(dir, 'tiny.csv'), 'userId,movieId,rating,timestamp\na,m1,5,100\nb,m2,4,200\nc,m1,5,300\n');
  await writeFile(path.join(dir, 'bad.csv'), 'userId,movieId,rating,timestamp\na,m1,5,100\na,m2,4,yesterday\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const flags = { format: 'counts' as const, userCol: 'userId', itemCol: 'movieId', weightCol: 'rating', timeCol: 'timestamp' };

describe('evaluation input and protocols', () => {
  it('reads counts with times, drops rows under --min-weight and holds out each user\'s latest items', async () => {
    const data = await loadRunData({ ...flags, interactions: path.join(dir, 'ratings.csv'), minWeight: 4 });
    if (data.kind !== 'counts') throw new Error('expected counts');
    expect(data.droppedBelowMinWeight).toBe(2);
    expect(data.user).toHaveLength(9);
    expect(data.time![0]).toBe(100_000); // epoch seconds → ms
    const split = await makeSplit(data, { kind: 'temporal' });
    const row = (u: string) => {
      const r = data.users.get(u)!;
      return Array.from(split.test.indices.subarray(split.test.indptr[r], split.test.indptr[r + 1])).map((i) => data.items.ids[i]).sort();
    };
    // a keeps m1 m2 m4 m5 m6 (m3 rated 2 dropped): round(0.2·5) = 1 held out, the latest (m6).
    expect(row('a')).toEqual(['m6']);
    // b keeps m1 m3 m6 m7: round(0.8) = 1 held out, m7.
    expect(row('b')).toEqual(['m7']);
    expect(split.train.indices).toHaveLength(7);
    expect(split.recent).not.toBeNull();
    expect(split.recent!.asOf).toBe(500_001); // a's last training rating, m5 at 500 s
    // Validation is carved from the training part only: never a test item.
    const val = await makeValidationSplit(data, { kind: 'temporal' });
    const a = data.users.get('a')!;
    const valItems = Array.from(val.test.indices.subarray(val.test.indptr[a], val.test.indptr[a + 1])).map((i) => data.items.ids[i]);
    expect(valItems).toEqual(['m5']);
  });

  it('names file:line:column for a bad time and refuses the temporal split without times', async () => {
    await expect(loadRunData({ ...flags, interactions: path.join(dir, 'bad.csv') })).rejects.toThrow(/bad\.csv:3:4: column 'timestamp'/);
    // With --skip-bad the row is counted under its rule, and how the times were read is stated.
    const skipped = await loadRunData({ ...flags, interactions: path.join(dir, 'bad.csv'), skipBad: true });
    expect(skipped.ingest).toMatchObject({ rowsRead: 2, rowsKept: 1, timestampFormat: 'epoch_s', validation: { bad_timestamp: 1, bad_weight: 0, missing_id: 0, malformed_row: 0 } });
    expect(skipped.ingest.examples.bad_timestamp).toEqual([`${path.join(dir, 'bad.csv')}:3`]);
    const untimed = await loadRunData({ format: 'counts', userCol: 'userId', itemCol: 'movieId', weightCol: 'rating', interactions: path.join(dir, 'ratings.csv') });
    await expect(makeSplit(untimed, { kind: 'temporal' })).rejects.toThrow(/--time-col/);
    const random = await makeSplit(untimed, { kind: 'random' });
    expect(random.recent).toBeNull();
    expect(random.recentNote).toMatch(/not available/);
    await expect(loadRunData({ format: 'events', interactions: path.join(dir, 'ratings.csv'), minWeight: 4 })).rejects.toThrow(/--min-weight applies to counts/);
  });

  it('refuses a split that leaves no user to test, naming the split, instead of metrics over nobody', async () => {
    const data = await loadRunData({ ...flags, interactions: path.join(dir, 'tiny.csv') });
    await expect(makeSplit(data, { kind: 'random' })).rejects.toThrow(/^the split \(random per-user hold-out of 20% of positives \(seed 42\)\) left no user with a held-out positive to test \(3 users, \d+ training entries\)/);
    await expect(makeSplit(data, { kind: 'users' })).rejects.toThrow(/left no user with a held-out positive/);
    // A split with something to test passes unchanged.
    const ratings = await loadRunData({ ...flags, interactions: path.join(dir, 'ratings.csv'), minWeight: 4 });
    expect((await makeSplit(ratings, { kind: 'random' })).test.indices.length).toBeGreaterThan(0);
  });
});
