import { readFile } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inSlicesPerTurn, nextTurn, turnAfterIo } from '../../src/util/turns.js';

describe('inSlicesPerTurn', () => {
  it('covers [0, count) in order, one slice per event-loop turn', async () => {
    for (const [count, perTurn] of [[0, 4], [1, 4], [10, 4], [12, 4], [5, 100]]) {
      const slices: [number, number][] = [];
      await inSlicesPerTurn(count, perTurn, (from, to) => void slices.push([from, to]));
      const want: [number, number][] = [];
      for (let from = 0; from < count; from += perTurn) want.push([from, Math.min(count, from + perTurn)]);
      expect(slices).toEqual(want);
    }
    let slices = 0;
    const running = inSlicesPerTurn(30, 10, () => void slices++);
    // The first slice runs at once; the other two each wait for a turn.
    expect(slices).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(slices).toBeLessThan(3);
    await running;
    expect(slices).toBe(3);
  });
});

describe('turnAfterIo', () => {
  it('lets a due timer run before work that arrived in an I/O callback, where one turn does not', async () => {
    const order = async (turn: () => Promise<void>): Promise<string[]> => {
      const seen: string[] = [];
      await new Promise<void>((done) => {
        readFile(import.meta.filename, () => {
          setTimeout(() => seen.push('timer'), 0);
          // The timer is due once a millisecond has passed.
          const until = performance.now() + 2;
          while (performance.now() < until);
          void turn().then(() => {
            seen.push('work');
            setTimeout(done, 5);
          });
        });
      });
      return seen;
    };
    // From an I/O callback the loop's next stop is its immediates, then its timers.
    expect(await order(nextTurn)).toEqual(['work', 'timer']);
    expect(await order(turnAfterIo)).toEqual(['timer', 'work']);
  });
});
