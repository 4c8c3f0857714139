import { describe, expect, it } from 'vitest';
import { cutDateSplit, lastFractionSplit, temporalSplit } from '../../src/eval/split.js';
import { row } from './fixtures.js';

const DAY = 86_400_000;
const CUT = 100 * DAY;

function events(list: [number, number, number, number][]) {
  return {
    user: Int32Array.from(list.map((e) => e[0])),
    item: Int32Array.from(list.map((e) => e[1])),
    weight: Float32Array.from(list.map((e) => e[2])),
    time: Float64Array.from(list.map((e) => e[3])),
  };
}

describe('cutDateSplit', () => {
  const ev = events([
    [0, 0, 1, CUT - 5 * DAY], // 0 train
    [0, 1, 1, CUT - 1], // 1 train
    [0, 1, 3, CUT + DAY], // 2 window, heard before the cut → not a hit
    [0, 2, 1, CUT + 2 * DAY], // 3 window, new to u0 → hit
    [0, 2, 1, CUT + 3 * DAY], // 4 same item again → merged
    [0, 3, 1, CUT + 8 * DAY], // 5 after the 7-day window
    [1, 2, 1, CUT + DAY], // 6 u1 has no history → excluded by default
    [2, 5, 1, CUT - DAY], // 7 train
    [2, 4, 0, CUT + DAY], // 8 weight 0 (e.g. a skip) → not relevant
    [2, 0, 1, CUT], // 9 exactly at the cut: test side
    [2, 5, 1, CUT + DAY], // 10 heard before → not a hit
  ]);

  it('counts only relevant items new to each user inside the window', () => {
    const s = cutDateSplit(ev.user, ev.item, ev.weight, ev.time, 3, 6, { cut: CUT });
    expect(Array.from(s.trainEvents)).toEqual([0, 1, 7]);
    expect(row(s.train, 0)).toEqual([0, 1]);
    expect(row(s.train, 2)).toEqual([5]);
    expect(Array.from(s.train.pref)).toEqual([1, 1, 1]);
    expect(row(s.test, 0)).toEqual([2]);
    expect(row(s.test, 1)).toEqual([]);
    expect(row(s.test, 2)).toEqual([0]);
    expect(s.train.users.size).toBe(3);
    expect(s.train.items.ids[4]).toBe('4');
  });

  it('includes cold users when asked and widens with the horizon', () => {
    const s = temporalSplit(ev.user, ev.item, ev.weight, ev.time, 3, 6, {
      mode: 'cut',
      cut: CUT,
      horizonDays: 10,
      requireTrainHistory: false,
    });
    expect(row(s.test, 0)).toEqual([2, 3]);
    expect(row(s.test, 1)).toEqual([2]);
  });

  it('reports bad events with their index', () => {
    const bad = events([[0, 9, 1, 0]]);
    expect(() => cutDateSplit(bad.user, bad.item, bad.weight, bad.time, 1, 6, { cut: CUT })).toThrow(/item 9 at event 0/);
    expect(() => cutDateSplit(ev.user, ev.item, ev.weight, ev.time, 3, 6, { cut: NaN })).toThrow(/cut/);
  });
});

describe('lastFractionSplit', () => {
  it('holds out each user\'s latest items by first interaction time', () => {
    // u0: 10 items at times 1..10 (item j at time j + 1), so items 8 and 9 are the latest two.
    const list: [number, number, number, number][] = [];
    for (let j = 0; j < 10; j++) list.push([0, j, 4, j + 1]);
    list.push([0, 0, 1, 50]); // a replay of item 0 later does not make it "late"
    // u1: 5 items at the same time: round(0.2·5) = 1 held out, the tie broken by item (highest index)
    for (let j = 0; j < 5; j++) list.push([1, j, j === 4 ? 0 : 1, 7]);
    // u2: one item → stays in train (minTrain 1)
    list.push([2, 3, 1, 1]);
    const ev = events(list);
    const s = lastFractionSplit(ev.user, ev.item, ev.weight, ev.time, 3, 10, { fraction: 0.2 });
    expect(row(s.test, 0)).toEqual([8, 9]);
    expect(row(s.train, 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(s.train.weight[0]).toBe(5); // item 0: 4 + 1 summed
    expect(row(s.train, 1)).toEqual([0, 1, 2, 3]);
    expect(row(s.test, 1)).toEqual([]); // item 4 was held out but its weight 0 is not relevant
    expect(row(s.train, 2)).toEqual([3]);
    expect(row(s.test, 2)).toEqual([]);
    // train events are exactly the events of non-held items
    expect(s.trainEvents.length).toBe(list.length - 3);
    const again = lastFractionSplit(ev.user, ev.item, ev.weight, ev.time, 3, 10, { fraction: 0.2 });
    expect(Array.from(again.trainEvents)).toEqual(Array.from(s.trainEvents));
  });
});
