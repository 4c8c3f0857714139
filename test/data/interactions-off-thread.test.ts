import { describe, expect, it } from 'vitest';
import { Dictionary } from '../../src/data/dictionary.js';
import { countsToInteractions } from '../../src/data/interactions.js';
import { countsToInteractionsAsync } from '../../src/data/interactions-off-thread.js';
import { toShared } from '../../src/util/shared-memory.js';
import { mulberry32 } from '../reference/random.js';
import { bytesOf } from '../reference/shared.js';

/** Triplets over few users and items, so pairs repeat and their weights are summed. */
function randomCounts(seed: number, n: number, users: number, items: number) {
  const rng = mulberry32(seed);
  return {
    users: Dictionary.from(Array.from({ length: users }, (_, i) => `u${i}`)),
    items: Dictionary.from(Array.from({ length: items }, (_, i) => `i${i}`)),
    user: Int32Array.from({ length: n }, () => Math.floor(rng() * users)),
    item: Int32Array.from({ length: n }, () => Math.floor(rng() * items)),
    weight: Float32Array.from({ length: n }, () => Math.floor(rng() * 50) / 4),
  };
}

describe('countsToInteractionsAsync (the CSR build on a worker thread)', () => {
  it('gives countsToInteractions\' matrix bit for bit, with the caller\'s dictionaries', async () => {
    for (const [seed, n, users, items] of [
      [1, 0, 3, 4],
      [2, 1, 1, 1],
      [3, 5000, 40, 60],
      [4, 70_000, 9000, 70_000],
    ] as const) {
      const counts = randomCounts(seed, n, users, items);
      const want = countsToInteractions(counts);
      for (const input of [counts, { ...counts, user: toShared(counts.user), weight: toShared(counts.weight) }]) {
        const got = await countsToInteractionsAsync(input);
        expect(got.users).toBe(counts.users);
        expect(got.items).toBe(counts.items);
        for (const key of ['indptr', 'indices', 'pref', 'weight'] as const) {
          expect(bytesOf(got[key]).equals(bytesOf(want[key])), `seed ${seed}: ${key}`).toBe(true);
        }
      }
      expect(counts.user.length, 'the caller\'s columns stay').toBe(n);
    }
  });

  it('rejects an index outside its dictionary with the builder\'s message', async () => {
    const counts = randomCounts(5, 100, 10, 10);
    const item = counts.item.slice();
    item[42] = 10;
    await expect(countsToInteractionsAsync({ ...counts, item })).rejects.toThrow(/column index 10 at entry 42 out of range \[0, 10\)/);
  });
});
