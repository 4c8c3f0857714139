import { describe, expect, it } from 'vitest';
import { settleAll } from '../../src/util/settle-all.js';

describe('settleAll', () => {
  it('gives the values in order, and throws the first failure only once every promise has settled', async () => {
    expect(await settleAll([Promise.resolve(1), Promise.resolve(2)])).toEqual([1, 2]);
    let lateDone = false;
    const late = new Promise<number>((resolve) => setTimeout(() => ((lateDone = true), resolve(3)), 30));
    await expect(settleAll([Promise.resolve(1), Promise.reject(new Error('first')), late, Promise.reject(new Error('second'))])).rejects.toThrow('first');
    expect(lateDone).toBe(true);
  });

  it('keeps the types of a tuple of promises of different kinds', async () => {
    const [n, text, list] = await settleAll([Promise.resolve(41), Promise.resolve('x'), Promise.resolve([true])] as const);
    // Each is used as its own type (the typecheck of the tests holds this).
    expect([n + 1, text.toUpperCase(), list[0] === true]).toEqual([42, 'X', true]);
  });
});
