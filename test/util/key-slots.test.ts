import { describe, expect, it } from 'vitest';
import { KeySlots } from '../../src/util/key-slots.js';
import { mulberry32 } from '../reference/random.js';

describe('KeySlots', () => {
  it('numbers a group\'s distinct keys 0, 1, … in first-seen order, as a map would', () => {
    const rng = mulberry32(5);
    const slots = new KeySlots();
    for (const rows of [0, 1, 2, 7, 100, 3000, 5, 1]) {
      slots.reset(rows);
      const want = new Map<string, number>();
      for (let i = 0; i < rows; i++) {
        const a = Math.floor(rng() * 20) - 3;
        const b = rng() < 0.2 ? Math.floor(rng() * 3) * 1e12 - 1e12 : Math.floor(rng() * 5);
        const key = `${a}/${b}`;
        if (!want.has(key)) want.set(key, want.size);
        expect(slots.idOf(a, b), key).toBe(want.get(key));
      }
      expect(slots.size).toBe(want.size);
    }
  });

  it('forgets the last group\'s keys at reset, and tells keys apart by both parts', () => {
    const slots = new KeySlots();
    slots.reset(3);
    expect([slots.idOf(1, 2), slots.idOf(2, 1), slots.idOf(1, 2), slots.idOf(1, 2 + 2 ** 32)]).toEqual([0, 1, 0, 2]);
    slots.reset(2);
    expect(slots.size).toBe(0);
    expect([slots.idOf(2, 1), slots.idOf(1, 2)]).toEqual([0, 1]);
    expect(() => slots.reset(2 ** 29)).toThrow(RangeError);
  });
});
