import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRatingsAsPlays } from '../../src/eval/signals-study/ratings.js';
import { generateWorld, worldToEventLog } from '../../src/generate/index.js';
import { computeSignals, SIGNALS_STEPS, type SignalsOptions, type SignalsProgress } from '../../src/signals/index.js';
import { computeSignalsAsync, defaultSignalsThreads } from '../../src/signals/off-thread.js';
import { accountRanges } from '../../src/signals/shards.js';
import { toShared } from '../../src/util/shared-memory.js';
import { mulberry32 } from '../reference/random.js';
import { expectSame, randomLog } from './same-signals.js';

const asOf = Date.UTC(2026, 0, 30);
const ratings = path.resolve(import.meta.dirname, '../../../shared/datasets/ml-latest-small/ratings.csv');

describe('computeSignalsAsync split by accounts over threads', () => {
  it('gives computeSignals\' result bit for bit for any number of shards, bots and all', async () => {
    const world = generateWorld({ users: 500, tracks: 1500, weeks: 3, seed: 21, bots: { share: 0.06, farms: 3 } });
    const log = worldToEventLog(world);
    for (const options of [{ asOf: world.endMs }, { asOf: world.endMs - 86_400_000, config: { decay: false, anomaly: { dropBelowTrust: 0.5 } } }] satisfies SignalsOptions[]) {
      const want = computeSignals(log, options);
      expect(want.report.accounts.length).toBeGreaterThan(0);
      expect(want.report.tracks.length).toBeGreaterThan(0);
      for (const threads of [2, 3, 7]) expectSame(await computeSignalsAsync(log, { ...options, threads }), want, log, `${threads} threads, ${JSON.stringify(options)}`);
    }
  });

  it('does so whether the log has every duration, some or none, and on edge logs', async () => {
    const some = randomLog(11, 5000); // a fifth of the durations missing: estimated
    const every = { ...some, durationMs: some.durationMs!.map((d, e) => (d > 0 ? d : 100_000 + e)) };
    const none = { ...some, durationMs: undefined };
    // Missing durations in one shard's accounts only: that shard estimates, the others read the log's.
    const late = { ...every, durationMs: every.durationMs.map((d, e) => (some.user[e] >= 55 && e % 3 === 0 ? Number.NaN : d)) };
    const noArtists = { ...some, artist: undefined, artists: undefined };
    for (const [name, log] of Object.entries({ some, every, none, late, noArtists })) {
      const want = computeSignals(log, { asOf });
      for (const threads of [2, 4]) expectSame(await computeSignalsAsync(log, { asOf, threads }), want, log, `${name}, ${threads} threads`);
    }
    const want = computeSignals(late, { asOf });
    expect(want.report.totals.estimated_durations).toBeGreaterThan(0);
    for (const [name, log] of Object.entries({ empty: randomLog(4, 0), one: randomLog(5, 1), past: some })) {
      const at = name === 'past' ? Date.UTC(2020, 0, 1) : asOf;
      expectSame(await computeSignalsAsync(log, { asOf: at, threads: 3 }), computeSignals(log, { asOf: at }), log, name);
    }
  });

  it.skipIf(!existsSync(ratings))('does so on real listening times and heavy accounts (MovieLens ratings ≥ 4 as plays)', async () => {
    const log = await readRatingsAsPlays(ratings, 4);
    expect(log.length).toBeGreaterThan(40_000);
    let last = -Infinity;
    for (const t of log.timestamp) last = Math.max(last, t);
    for (const at of [last + 1, last - 365 * 86_400_000]) {
      const want = computeSignals(log, { asOf: at });
      for (const threads of [2, 5]) expectSame(await computeSignalsAsync(log, { asOf: at, threads }), want, log, `MovieLens, ${threads} threads, as of ${new Date(at).toISOString()}`);
    }
  });

  it('balances shards by events, in order, covering every account', () => {
    const rng = mulberry32(3);
    // Zipf-like activity: a few accounts hold most events.
    const users = 1000;
    const user = Int32Array.from({ length: 200_000 }, () => Math.min(users - 1, Math.floor(users * rng() ** 3)));
    for (const shards of [1, 2, 3, 8]) {
      const ranges = accountRanges(user, users, shards);
      expect(ranges.length).toBe(shards);
      expect(ranges[0].from).toBe(0);
      expect(ranges.at(-1)!.to).toBe(users);
      for (let s = 1; s < ranges.length; s++) expect(ranges[s].from).toBe(ranges[s - 1].to);
      for (const r of ranges) {
        expect(r.to).toBeGreaterThan(r.from);
        let events = 0;
        for (const u of user) if (u >= r.from && u < r.to) events++;
        // Within a heavy account's share of an even split (the busiest account has ~2% here).
        expect(Math.abs(events - user.length / shards)).toBeLessThan(0.04 * user.length);
      }
    }
    expect(accountRanges(new Int32Array(0), 0, 4)).toEqual([{ from: 0, to: 0 }]);
    expect(accountRanges(new Int32Array(0), 10, 4)).toEqual([{ from: 0, to: 10 }]);
    expect(accountRanges(Int32Array.of(0, 0, 0), 1, 4)).toEqual([{ from: 0, to: 1 }]);
    // More shards than accounts with events: no empty range.
    expect(accountRanges(Int32Array.of(0, 1, 1, 2), 3, 8).every((r) => r.to > r.from)).toBe(true);
    // All events on one account: it cannot be split.
    const one = accountRanges(new Int32Array(1000).fill(5), 10, 2);
    expect(one.length).toBeLessThanOrEqual(2);
    expect(one.some((r) => r.from <= 5 && r.to > 5)).toBe(true);
  });

  it('splits by default from 2^20 events, over the cores but at most four', () => {
    expect(defaultSignalsThreads(2 ** 20 - 1, 64)).toBe(1);
    expect(defaultSignalsThreads(2 ** 20, 1)).toBe(1);
    expect(defaultSignalsThreads(2 ** 20, 2)).toBe(2);
    expect(defaultSignalsThreads(100_000_000, 64)).toBe(4);
  });

  it('reports the slowest shard\'s steps, in order, and "done" last', async () => {
    const log = randomLog(6, 4000);
    const seen: SignalsProgress[] = [];
    expectSame(await computeSignalsAsync(log, { asOf, threads: 2, onProgress: (p) => void seen.push(p) }), computeSignals(log, { asOf }), log, 'progress');
    expect(seen[0]).toEqual({ step: SIGNALS_STEPS[0], done: 0, total: 8 });
    expect(seen.at(-1)).toEqual({ step: 'done', done: 8, total: 8 });
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThan(seen[i - 1].done);
  });

  it('detaches a moved log\'s plain columns and leaves shared ones', async () => {
    const want = computeSignals(randomLog(8, 2500), { asOf });
    const moved = randomLog(8, 2500);
    const sharedTime = toShared(moved.timestamp);
    const log = { ...moved, timestamp: sharedTime };
    expectSame(await computeSignalsAsync(log, { asOf, transferLog: true, threads: 2 }), want, log, 'transferLog');
    for (const key of ['user', 'track', 'kind', 'msPlayed', 'durationMs', 'artist'] as const) expect(log[key]!.byteLength, key).toBe(0);
    expect(sharedTime.length).toBe(2500);
  });

  it('refuses a bad thread count, and fails on a bad log with its message', async () => {
    const log = randomLog(6, 300);
    for (const threads of [0, 1.5, -2, '2']) {
      const options = { asOf, threads } as unknown as SignalsOptions;
      await expect(computeSignalsAsync(log, options)).rejects.toThrow(/options\.threads must be an integer ≥ 1/);
      expect(() => computeSignals(log, options)).toThrow(/options\.threads must be an integer ≥ 1/);
    }
    const user = log.user.slice();
    user[17] = 60;
    await expect(computeSignalsAsync({ ...log, user }, { asOf, threads: 2 })).rejects.toThrow(/log\.user\[17\] = 60 is outside \[0, 60\)/);
    // The pool is gone and a good run follows.
    expectSame(await computeSignalsAsync(log, { asOf, threads: 2 }), computeSignals(log, { asOf }), log, 'after a failure');
  });
});
