import { describe, expect, it } from 'vitest';
import { fewTestUsers } from '../../src/eval/run-evaluation.js';

/** A test split whose first `withItems` of `rows` users have one test item each. */
function split(kind: 'random' | 'temporal' | 'users', rows: number, withItems: number, users?: Int32Array) {
  const indptr = Int32Array.from({ length: rows + 1 }, (_, u) => Math.min(u, withItems));
  return { kind, test: { rows, cols: 10, indptr, indices: new Int32Array(withItems) }, ...(users ? { users } : {}) };
}

describe('fewTestUsers', () => {
  it('warns below 100 users with test items, naming the count', () => {
    expect(fewTestUsers(split('random', 500, 100), 'counts')).toBeUndefined();
    expect(fewTestUsers(split('random', 500, 99), 'counts')).toBe('warning: only 99 users have test items, too few for the figures to tell rankers apart');
    expect(fewTestUsers(split('random', 0, 0), 'counts')).toMatch(/^warning: only 0 users/);
  });

  it('counts the listed users of a users split, not the rows', () => {
    expect(fewTestUsers(split('users', 500, 500, new Int32Array(7)), 'events')).toMatch(/^warning: only 7 users have test items/);
    expect(fewTestUsers(split('users', 50, 50, new Int32Array(120)), 'events')).toBeUndefined();
  });

  it('points a next-week split of an event log to the per-user split of a counts file', () => {
    expect(fewTestUsers(split('temporal', 610, 7), 'events')).toContain('read it as counts with --time-col');
    expect(fewTestUsers(split('temporal', 610, 7), 'counts')).not.toContain('--time-col');
  });
});
