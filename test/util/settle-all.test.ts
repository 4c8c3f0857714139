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
});
