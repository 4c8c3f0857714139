import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvents, writeEventsCsv, writeEventsParquet } from '../../src/data/index.js';
import { generateWorld, worldToEventLog } from '../../src/generate/index.js';
import { computeSignals, SIGNALS_STEPS, type SignalsOptions, type SignalsProgress } from '../../src/signals/index.js';
import { computeSignalsAsync } from '../../src/signals/off-thread.js';
import { train } from '../../src/train/train.js';
import { toShared } from '../../src/util/shared-memory.js';
import { bytesOf } from '../reference/shared.js';
import { expectSame, randomLog } from './same-signals.js';

describe('computeSignalsAsync (the stage on a worker thread)', () => {
  it('gives computeSignals\' interactions, exclusions and report bit for bit, bots and all', async () => {
    const world = generateWorld({ users: 400, tracks: 1500, weeks: 3, seed: 13, bots: { share: 0.05, farms: 3 } });
    const log = worldToEventLog(world);
    for (const options of [
      { asOf: world.endMs },
      { asOf: world.endMs - 86_400_000, config: { decay: false, anomaly: { enabled: false } } },
      { asOf: world.endMs, validation: { duplicate_event: 3 } },
    ] satisfies SignalsOptions[]) {
      const want = computeSignals(log, options);
      // The report names flagged accounts by id, which only the caller's thread knows.
      if (!options.config) expect(want.report.accounts.length).toBeGreaterThan(0);
      expectSame(await computeSignalsAsync(log, options), want, log, JSON.stringify(options));
    }
  });

  it('does so on logs with durations and artists, none present, an empty log and shared columns', async () => {
    const log = randomLog(3, 4000);
    const asOf = Date.UTC(2026, 0, 30);
    expectSame(await computeSignalsAsync(log, { asOf }), computeSignals(log, { asOf }), log, 'random');
    expectSame(await computeSignalsAsync(log, { asOf: Date.UTC(2020, 0, 1) }), computeSignals(log, { asOf: Date.UTC(2020, 0, 1) }), log, 'none present');
    const empty = randomLog(4, 0);
    expectSame(await computeSignalsAsync(empty, { asOf }), computeSignals(empty, { asOf }), empty, 'empty');
    const shared = { ...log, user: toShared(log.user), track: toShared(log.track), timestamp: toShared(log.timestamp) };
    expectSame(await computeSignalsAsync(shared, { asOf }), computeSignals(log, { asOf }), log, 'shared columns');
  });

  it('takes the columns of a log read with sharedColumns, and views into shared memory, as they are', async () => {
    const world = generateWorld({ users: 300, tracks: 1200, weeks: 2, seed: 17 });
    const log = worldToEventLog(world);
    const options = { asOf: world.endMs };
    const want = computeSignals(log, options);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-signals-'));
    try {
      for (const file of [path.join(dir, 'events.csv'), path.join(dir, 'events.parquet')]) {
        await (file.endsWith('.csv') ? writeEventsCsv(log, file) : writeEventsParquet(log, file));
        const plain = (await readEvents(file)).log;
        const shared = (await readEvents(file, { sharedColumns: true })).log;
        for (const key of ['user', 'track', 'timestamp', 'kind', 'msPlayed', 'durationMs'] as const) {
          expect(shared[key]!.buffer, `${file}: ${key}`).toBeInstanceOf(SharedArrayBuffer);
          expect(plain[key]!.buffer, `${file}: ${key}`).not.toBeInstanceOf(SharedArrayBuffer);
          expect(bytesOf(shared[key]!).equals(bytesOf(plain[key]!)), `${file}: ${key}`).toBe(true);
        }
        expectSame(await computeSignalsAsync(shared, options), computeSignals(plain, options), shared, file);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Views that start inside their buffer reach the worker as the same views.
    const inside = <T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T): T => {
      const ctor = a.constructor as new (b: SharedArrayBuffer, o: number, n: number) => T;
      const bytes = (a as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      const out = new ctor(new SharedArrayBuffer((a.length + 5) * bytes), 3 * bytes, a.length);
      out.set(a as never);
      return out;
    };
    const views = { ...log, user: inside(log.user), track: inside(log.track), timestamp: inside(log.timestamp), kind: inside(log.kind), msPlayed: inside(log.msPlayed) };
    expectSame(await computeSignalsAsync(views, options), want, log, 'views inside shared buffers');
  });

  it('reports the stage\'s steps in order, on the caller\'s thread and from the worker\'s', async () => {
    const log = randomLog(6, 3000);
    const asOf = Date.UTC(2026, 0, 30);
    const seen: SignalsProgress[] = [];
    computeSignals(log, { asOf, onProgress: (p) => void seen.push(p) });
    expect(seen).toEqual([...SIGNALS_STEPS.map((step, done) => ({ step, done, total: 8 })), { step: 'done', done: 8, total: 8 }]);

    const sampled: SignalsProgress[] = [];
    const got = await computeSignalsAsync(log, { asOf, onProgress: (p) => void sampled.push(p) });
    expectSame(got, computeSignals(log, { asOf }), log, 'with progress');
    // Sampled: the first report before the worker starts, the last when it is done, none repeated.
    expect(sampled[0]).toEqual({ step: 'estimating durations', done: 0, total: 8 });
    expect(sampled.at(-1)).toEqual({ step: 'done', done: 8, total: 8 });
    for (let i = 1; i < sampled.length; i++) expect(sampled[i].done).toBeGreaterThan(sampled[i - 1].done);

    // A callback's error reaches the caller once the stage is done; a callback that is not a function is refused.
    await expect(computeSignalsAsync(log, { asOf, onProgress: () => { throw new Error('bar broke'); } })).rejects.toThrow('bar broke');
    const notAFunction = { asOf, onProgress: 'yes' } as unknown as SignalsOptions;
    expect(() => computeSignals(log, notAFunction)).toThrow('options.onProgress must be a function, got string');
    await expect(computeSignalsAsync(log, notAFunction)).rejects.toThrow('options.onProgress must be a function, got string');
  });

  it('moves the log\'s plain columns to the stage\'s thread with transferLog, leaving them detached', async () => {
    const asOf = Date.UTC(2026, 0, 30);
    const want = computeSignals(randomLog(8, 2500), { asOf });
    const moved = randomLog(8, 2500);
    const sharedTime = toShared(moved.timestamp);
    const log = { ...moved, timestamp: sharedTime };
    expectSame(await computeSignalsAsync(log, { asOf, transferLog: true }), want, log, 'transferLog');
    // Plain columns went to the worker; a shared one was shared, as without the option.
    for (const key of ['user', 'track', 'kind', 'msPlayed', 'durationMs', 'artist'] as const) expect(log[key]!.byteLength, key).toBe(0);
    expect(sharedTime.length).toBe(2500);
    await expect(computeSignalsAsync(randomLog(8, 10), { asOf, transferLog: 'yes' } as unknown as SignalsOptions)).rejects.toThrow('options.transferLog must be a boolean, got string');
  });

  it('hands back the matrix in shared memory of its own, which train() keeps without a copy', async () => {
    const log = randomLog(6, 4000);
    for (const threads of [1, 3]) {
      const { interactions } = await computeSignalsAsync(log, { asOf: Date.UTC(2026, 0, 30), threads });
      for (const key of ['indptr', 'indices', 'pref', 'weight'] as const) {
        expect(interactions[key].buffer, `${key}, ${threads} threads`).toBeInstanceOf(SharedArrayBuffer);
        expect(toShared(interactions[key]), `${key}, ${threads} threads`).toBe(interactions[key]);
      }
      const model = await train(interactions, { factors: 2, iterations: 1, threads: 1 });
      expect(model.data.seen.indices).toBe(interactions.indices);
      expect(model.data.seen.weight).toBe(interactions.weight);
    }
  });

  it('leaves the caller\'s log as it was', async () => {
    const log = randomLog(5, 1000);
    const before = bytesOf(log.user).toString('hex') + bytesOf(log.timestamp).toString('hex');
    await computeSignalsAsync(log, { asOf: Date.UTC(2026, 0, 30) });
    expect(log.user.length).toBe(1000);
    expect(bytesOf(log.user).toString('hex') + bytesOf(log.timestamp).toString('hex')).toBe(before);
  });

  it('rejects bad options and bad columns with computeSignals\' messages', async () => {
    const log = randomLog(6, 200);
    await expect(computeSignalsAsync(log, { asOf: Number.NaN })).rejects.toThrow(TypeError);
    await expect(computeSignalsAsync(log, { asOf: Number.NaN })).rejects.toThrow(/options\.asOf must be a valid epoch-ms time/);
    await expect(computeSignalsAsync(log, { asOf: 0, config: { halfLifeDays: -3 } as never })).rejects.toThrow(/options\.config/);
    const user = log.user.slice();
    user[17] = 60;
    // Found on the worker thread: the message names the event and the range.
    await expect(computeSignalsAsync({ ...log, user }, { asOf: 0 })).rejects.toThrow(/log\.user\[17\] = 60 is outside \[0, 60\)/);
    await expect(computeSignalsAsync({ ...log, track: log.track.subarray(0, 10) }, { asOf: 0 })).rejects.toThrow(/log\.track has length 10/);
  });
});
