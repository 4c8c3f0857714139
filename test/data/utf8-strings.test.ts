import { describe, expect, it } from 'vitest';
import { utf8StringsInTurns, utf8Vector, utf8VectorOf } from '../../src/data/utf8-vector.js';
import { toSharedInTurns } from '../../src/util/shared-memory.js';

const ids = ['u1', '', 'ünïcødé', '曲-42', '🎵 track', 'x'.repeat(100), 'plain'];

describe('utf8StringsInTurns', () => {
  it('lays the strings out as UTF-8 end to end, whatever the slice per turn', async () => {
    const encoder = new TextEncoder();
    for (const perTurn of [1, 2, 3, 100]) {
      const s = await utf8StringsInTurns(ids, perTurn);
      expect(s.offsets.length).toBe(ids.length + 1);
      ids.forEach((id, i) => expect([...s.bytes.subarray(s.offsets[i], s.offsets[i + 1])]).toEqual([...encoder.encode(id)]));
      expect(s.offsets[ids.length]).toBe(s.bytes.length);
      expect(utf8VectorOf(s).toArray()).toEqual(ids);
    }
    expect(utf8Vector(ids).toArray()).toEqual(ids);
  });

  it('handles no strings', async () => {
    const s = await utf8StringsInTurns([]);
    expect([...s.offsets]).toEqual([0]);
    expect(s.bytes.length).toBe(0);
    expect(utf8VectorOf(s).length).toBe(0);
  });
});

describe('toSharedInTurns', () => {
  it('copies a plain array into shared memory a slice at a time, and returns a shared array itself', async () => {
    const src = Float32Array.from({ length: 1001 }, (_, i) => i * 0.5 - 7);
    for (const perTurn of [1, 7, 1000, 1001, 5000]) {
      const out = await toSharedInTurns(src, perTurn);
      expect(out.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(out).not.toBe(src);
      expect([...out]).toEqual([...src]);
    }
    const shared = await toSharedInTurns(src);
    expect(await toSharedInTurns(shared)).toBe(shared);
    // A view into part of a shared buffer is copied: a worker would otherwise see the whole buffer.
    const view = shared.subarray(10, 20);
    const copied = await toSharedInTurns(view, 3);
    expect(copied).not.toBe(view);
    expect([...copied]).toEqual([...view]);
    expect((await toSharedInTurns(new Int32Array(0))).length).toBe(0);
  });
});
