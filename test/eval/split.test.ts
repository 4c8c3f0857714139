import { describe, expect, it } from 'vitest';
import { randomHoldout, userSplit } from '../../src/eval/split.js';
import type { Interactions } from '../../src/types.js';
import { interactions, randomInteractions, row } from './fixtures.js';

function positives(m: Interactions, u: number): number[] {
  const out: number[] = [];
  for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) if (m.pref[p] > 0) out.push(m.indices[p]);
  return out;
}
function negatives(m: Interactions, u: number): number[] {
  const out: number[] = [];
  for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) if (!(m.pref[p] > 0)) out.push(m.indices[p]);
  return out;
}

describe('randomHoldout', () => {
  const inter = randomInteractions(60, 200, 7);

  it('is deterministic per seed and differs across seeds', () => {
    const a = randomHoldout(inter, { seed: 3 });
    const b = randomHoldout(inter, { seed: 3 });
    const c = randomHoldout(inter, { seed: 4 });
    expect(Array.from(a.test.indices)).toEqual(Array.from(b.test.indices));
    expect(Array.from(a.train.indices)).toEqual(Array.from(b.train.indices));
    expect(Array.from(a.test.indices)).not.toEqual(Array.from(c.test.indices));
  });

  it('is disjoint and complete, holds out round(0.2·n) positives, keeps negatives in train', () => {
    const { train, test } = randomHoldout(inter, { seed: 1 });
    expect(test.rows).toBe(60);
    expect(test.cols).toBe(200);
    for (let u = 0; u < 60; u++) {
      const all = positives(inter, u);
      const tr = positives(train, u);
      const te = row(test, u);
      expect(tr.filter((i) => te.includes(i))).toEqual([]);
      expect([...tr, ...te].sort((x, y) => x - y)).toEqual(all);
      expect(te.length).toBe(Math.max(0, Math.min(Math.round(0.2 * all.length), all.length - 1)));
      expect(negatives(train, u)).toEqual(negatives(inter, u));
    }
    // weights travel with their entries
    const p = train.indptr[5];
    const q = inter.indptr[5] + inter.indices.subarray(inter.indptr[5], inter.indptr[6]).indexOf(train.indices[p]);
    expect(train.weight[p]).toBe(inter.weight[q]);
  });

  it('leaveK keeps users with too few items entirely in train', () => {
    const small = interactions(3, 5, [
      [0, 0], [0, 1], [0, 2],
      [1, 3],
      [2, 1], [2, 4],
    ]);
    const { test } = randomHoldout(small, { leaveK: 2, seed: 9 });
    expect(row(test, 0).length).toBe(2); // 3 items: 2 out, 1 kept
    expect(row(test, 1)).toEqual([]); // 1 item < 2 + minTrain
    expect(row(test, 2)).toEqual([]); // 2 items < 2 + minTrain
    expect(() => randomHoldout(small, { fraction: 1.5 })).toThrow(/fraction/);
  });
});

describe('userSplit', () => {
  const inter = randomInteractions(80, 150, 11);

  it('separates test users from training and splits their history', () => {
    const s = userSplit(inter, { testUserFraction: 0.25, foldInFraction: 0.5, seed: 5 });
    const again = userSplit(inter, { testUserFraction: 0.25, foldInFraction: 0.5, seed: 5 });
    expect(Array.from(s.testUsers)).toEqual(Array.from(again.testUsers));
    let eligible = 0;
    for (let u = 0; u < 80; u++) if (positives(inter, u).length >= 2) eligible++;
    expect(s.testUsers.length).toBe(Math.round(0.25 * eligible));
    const isTest = new Set(s.testUsers);
    for (let u = 0; u < 80; u++) {
      if (!isTest.has(u)) {
        expect(row(s.train, u)).toEqual(row(inter, u));
        expect(row(s.foldIn, u)).toEqual([]);
        expect(row(s.test, u)).toEqual([]);
        continue;
      }
      expect(row(s.train, u)).toEqual([]);
      const all = positives(inter, u);
      const fold = positives(s.foldIn, u);
      const te = row(s.test, u);
      expect(fold.length).toBeGreaterThanOrEqual(1);
      expect(te.length).toBeGreaterThanOrEqual(1);
      expect(fold.length).toBe(Math.min(all.length - 1, Math.max(1, Math.round(0.5 * all.length))));
      expect([...fold, ...te].sort((x, y) => x - y)).toEqual(all);
      expect(negatives(s.foldIn, u)).toEqual(negatives(inter, u));
    }
  });
});
