/**
 * Numerical trouble in the input: huge play counts, confidence overflow, empty rows and columns,
 * ids that differ only in case. Each trains to finite factors or fails with an error that says
 * what and where; no NaN ever reaches a factor matrix. The per-iteration finiteness check of
 * training is shown to fire by corrupting one solved value behind the real worker pool.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Piscina } from 'piscina';
import { afterAll, describe, expect, it } from 'vitest';

import { countsToInteractions, readCounts } from '../../src/data/index.js';
import { Dictionary } from '../../src/data/dictionary.js';
import type { AlsHalfStepArgs } from '../../src/native/index.js';
import { createTrainPool } from '../../src/train/pool.js';
import { trainAls } from '../../src/train/als.js';
import { resolveTrainOptions } from '../../src/train/options.js';
import { train } from '../../src/train/train.js';
import type { Interactions } from '../../src/types.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-numeric-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { factors: 3, iterations: 3, threads: 1, regularization: 0.1 } as const;

/** A small users × items matrix from (user, item, weight) triples, rows sorted. */
function matrix(users: number, items: number, triples: [number, number, number][]): Interactions {
  const sorted = [...triples].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const indptr = new Int32Array(users + 1);
  for (const [u] of sorted) indptr[u + 1]++;
  for (let u = 0; u < users; u++) indptr[u + 1] += indptr[u];
  return {
    users: Dictionary.from(Array.from({ length: users }, (_, u) => `u${u}`)),
    items: Dictionary.from(Array.from({ length: items }, (_, i) => `i${i}`)),
    indptr,
    indices: Int32Array.from(sorted, (t) => t[1]),
    pref: new Float32Array(sorted.length).fill(1),
    weight: Float32Array.from(sorted, (t) => t[2]),
  };
}

/** Every user listens to a few items; user 0 plays item 0 `plays` times. */
function withHeavyUser(plays: number): Interactions {
  const t: [number, number, number][] = [];
  for (let u = 0; u < 12; u++) for (let i = 0; i < 6; i++) if ((u + i) % 3 === 0) t.push([u, i, u === 0 && i === 0 ? plays : 1 + ((u * i) % 4)]);
  return matrix(12, 6, t);
}

function expectFinite(f: Float32Array): void {
  expect(f.every((v) => Number.isFinite(v))).toBe(true);
}

describe('numerical trouble', () => {
  it('trains cleanly on a user with thousands of plays of one track (linear and log confidence)', async () => {
    for (const confidence of ['linear', 'log'] as const) {
      for (const solver of ['cg', 'cholesky'] as const) {
        const model = await train(withHeavyUser(5000), { ...base, confidence, solver });
        expectFinite(model.data.userFactors);
        expectFinite(model.data.itemFactors);
        // The heavy user's own track dominates its taste.
        const u0 = model.data.userFactors.subarray(0, 3);
        const i0 = model.data.itemFactors.subarray(0, 3);
        expect(u0[0] * i0[0] + u0[1] * i0[1] + u0[2] * i0[2]).toBeGreaterThan(0.5);
      }
    }
  });

  it('rejects a linear confidence that overflows (alpha·w → Infinity) naming the entry', async () => {
    await expect(train(withHeavyUser(3e38), { ...base, alpha: 10, confidence: 'linear' })).rejects.toThrow(/confidence of entry \d+ is not finite \(weight 3\.\d+e\+38, alpha 10\)/);
  });

  it('a huge but finite confidence trains to finite factors or fails naming the row, never NaN', async () => {
    for (const [solver, confidence] of [['cg', 'linear'], ['cholesky', 'linear'], ['cg', 'log'], ['cholesky', 'log']] as const) {
      let model;
      try {
        model = await train(withHeavyUser(1e30), { ...base, solver, confidence });
      } catch (err) {
        expect((err as Error).message).toMatch(/row \d+/);
        continue;
      }
      expectFinite(model.data.userFactors);
      expectFinite(model.data.itemFactors);
    }
  });

  it('all-zero rows and columns (no or zero-weight entries) give zero or finite factors', async () => {
    // User 1 has no entries, user 2 only zero-weight ones; item 3 is never heard.
    const m = matrix(4, 4, [[0, 0, 2], [0, 1, 1], [2, 0, 0], [2, 2, 0], [3, 1, 3], [3, 2, 1]]);
    const model = await train(m, base);
    expectFinite(model.data.userFactors);
    expectFinite(model.data.itemFactors);
    expect(Array.from(model.data.userFactors.subarray(3, 6))).toEqual([0, 0, 0]);
    expect(Array.from(model.data.itemFactors.subarray(9, 12))).toEqual([0, 0, 0]);
    // An entirely empty matrix trains too.
    const empty = await train(matrix(2, 2, []), base);
    expect(Array.from(empty.data.userFactors)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('treats ids that differ only in case as distinct users ("User1" ≠ "user1")', async () => {
    const f = path.join(dir, 'case.csv');
    writeFileSync(f, 'user_id,item_id,weight\nUser1,a,3\nuser1,b,3\nUSER1,a,1\nuser1,a,1\n');
    const counts = await readCounts(f);
    expect(counts.users.ids).toEqual(['User1', 'user1', 'USER1']);
    const model = await train(countsToInteractions(counts), base);
    expect(model.userIds).toEqual(['User1', 'user1', 'USER1']);
    expectFinite(model.data.userFactors);
  });

  it.each([
    ['a NaN in an item row, without the loss', 'item', Number.NaN, false, /item factor row (\d+) is not finite after iteration 2;/],
    ['a NaN in an item row, with the loss', 'item', Number.NaN, true, /item factor row (\d+) is not finite after iteration 2;/],
    ['an Infinity in a user row', 'user', Number.POSITIVE_INFINITY, false, /user factor row (\d+) is not finite after iteration 2;/],
    ['a finite value whose square overflows', 'item', 1e30, false, /item factors overflow \(their squares sum past the float range\) after iteration 2;/],
  ])('the per-iteration check fails the run when %s', async (_, side, value, computeLoss, message) => {
    // The real pool does the work; after a half-step of iteration 2 one solved value is replaced,
    // as a faulty kernel or worker would leave it.
    const real = createTrainPool(1);
    let corrupted = -1;
    const pool = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop !== 'run') return Reflect.get(target, prop, receiver);
        return async (task: { op: string; side?: string; iteration?: number; args: AlsHalfStepArgs }, ...rest: unknown[]) => {
          const r = await (target.run as (...a: unknown[]) => Promise<unknown>)(task, ...rest);
          // Only rows of the shard just solved: no later shard of this sweep reads them.
          const a = task.args;
          if (task.op === 'halfStep' && task.side === side && task.iteration === 2 && corrupted < 0 && a.rowEnd > a.rowBegin) {
            corrupted = a.rowEnd - 1;
            a.X[corrupted * a.factors + 1] = value;
          }
          return r;
        };
      },
    }) as Piscina;
    try {
      const run = trainAls(withHeavyUser(10), resolveTrainOptions({ ...base, iterations: 4, computeLoss }), { pool });
      await expect(run).rejects.toThrow(/^training diverged: .* lower alpha or raise regularization$/);
      const err = await run.catch((e: Error) => e);
      const m = (err as Error).message.match(message);
      expect(m, (err as Error).message).not.toBeNull();
      if (!Number.isFinite(value)) expect(Number(m![1])).toBe(corrupted);
    } finally {
      await real.destroy();
    }
  });
});
