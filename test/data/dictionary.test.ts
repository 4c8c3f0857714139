import { describe, expect, it } from 'vitest';
import { ByteInterner } from '../../src/data/byte-interner.js';
import { Dictionary } from '../../src/data/dictionary.js';
import { utf8StringsInTurns } from '../../src/data/utf8-vector.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('Dictionary', () => {
  it('finds ids appended without the map, and interns after them', () => {
    const d = new Dictionary();
    expect(d.appendNew('a')).toBe(0);
    expect(d.appendNew('b')).toBe(1);
    expect(d.get('b')).toBe(1);
    expect(d.intern('a')).toBe(0);
    expect(d.intern('c')).toBe(2);
    expect(d.appendNew('d')).toBe(3);
    expect(d.get('d')).toBe(3);
    expect(d.get('e')).toBeUndefined();
    expect(d.ids).toEqual(['a', 'b', 'c', 'd']);
  });

  // Past 32,768 ids the index is split over many maps: every way in must still agree with a Map.
  const manyIds = (n: number): string[] =>
    Array.from({ length: n }, (_, i) => (i % 5 === 0 ? `${i % 7919}` : i % 5 === 1 ? `user-${i}` : i % 5 === 2 ? `🎵-${i}-ü` : i % 5 === 3 ? `same-suffix-${i}-tail` : `u${i}x`));

  it('agrees with a Map past the split, however the ids came in', async () => {
    const ids = manyIds(100_000);
    const want = new Map<string, number>();
    for (const id of ids) if (!want.has(id)) want.set(id, want.size);
    const interned = Dictionary.from(ids);
    const appended = new Dictionary();
    for (const id of want.keys()) appended.appendNew(id);
    const half = new Dictionary();
    for (const id of [...want.keys()].slice(0, 50_000)) half.appendNew(id);
    await half.indexInTurns(4096);
    for (const id of [...want.keys()].slice(50_000)) half.intern(id);
    const decoded = await Dictionary.fromUtf8InTurns(await utf8StringsInTurns(ids), 4096);
    const copied = Dictionary.copyOf(Dictionary.from(ids));
    for (const d of [interned, appended, half, decoded, copied]) {
      expect(d.size).toBe(want.size);
      expect(d.ids).toEqual([...want.keys()]);
      for (const [id, i] of want) if (d.get(id) !== i) expect.fail(`${id}: ${d.get(id)}, want ${i}`);
      expect(d.get('absent')).toBeUndefined();
      expect(d.intern(ids[12_345])).toBe(want.get(ids[12_345]));
      expect(d.intern('new one')).toBe(want.size);
    }
  });
});

describe('Dictionary.copyOf', () => {
  it('keeps the ids and their order, and does not see later interns into the source', () => {
    const source = Dictionary.from(['x', 'y', 'z']);
    const copy = Dictionary.copyOf(source);
    source.intern('w');
    source.appendNew('v');
    expect(copy.ids).toEqual(['x', 'y', 'z']);
    expect(copy.get('w')).toBeUndefined();
    expect(copy.get('z')).toBe(2);
    expect(copy.intern('q')).toBe(3);
    expect(source.get('q')).toBeUndefined();
    expect(source.ids).toEqual(['x', 'y', 'z', 'w', 'v']);
  });

  it('copies another IdDictionary kind through from()', () => {
    const ids = ['a', 'b', 'c'];
    const other = { ids, size: ids.length, get: (id: string) => { const i = ids.indexOf(id); return i < 0 ? undefined : i; } };
    const copy = Dictionary.copyOf(other);
    expect(copy).toBeInstanceOf(Dictionary);
    expect(copy.ids).toEqual(ids);
    expect(copy.ids).not.toBe(ids);
    expect(copy.get('c')).toBe(2);
  });
});

describe('ByteInterner', () => {
  it('keeps ids that differ only by a leading byte-order mark apart', () => {
    const d = new Dictionary();
    const bi = new ByteInterner(d);
    const plain = bytes('x1');
    const bom = bytes('\uFEFFx1');
    expect(bi.internBytes(plain, 0, plain.length)).toBe(0);
    expect(bi.internBytes(bom, 0, bom.length)).toBe(1);
    expect(bi.internBytes(plain, 0, plain.length)).toBe(0);
    expect(d.ids).toEqual(['x1', '\uFEFFx1']);
    expect(d.get('\uFEFFx1')).toBe(1);
  });

  it('does not duplicate an id another writer put in the dictionary', () => {
    const d = new Dictionary();
    d.intern('y');
    const bi = new ByteInterner(d);
    const y = bytes('y');
    const z = bytes('z');
    expect(bi.internBytes(y, 0, 1)).toBe(0);
    expect(bi.internBytes(z, 0, 1)).toBe(1);
    expect(d.ids).toEqual(['y', 'z']);
  });

  it('interns through the transform (pseudonyms) with a lookup', () => {
    const d = new Dictionary();
    const bi = new ByteInterner(d, () => 'same');
    const a = bytes('a');
    const b = bytes('b');
    expect(bi.internBytes(a, 0, 1)).toBe(0);
    expect(bi.internBytes(b, 0, 1)).toBe(0);
    expect(d.size).toBe(1);
  });

  it('indexes ids appended by a reader a slice per event-loop turn, yielding between slices', async () => {
    const d = new Dictionary();
    for (let i = 0; i < 1000; i++) d.appendNew(`id-${i}`);
    let done = false;
    const indexing = d.indexInTurns(100).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    await indexing;
    expect(d.get('id-0')).toBe(0);
    expect(d.get('id-999')).toBe(999);
    expect(d.intern('id-500')).toBe(500);
    expect(d.intern('new')).toBe(1000);
    // Nothing left to index: it returns at once.
    await d.indexInTurns(100);
    expect(d.size).toBe(1001);
  });

  it('builds from ids laid out as UTF-8, a slice per event-loop turn, as from() does, yielding between slices', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? `id-${i % 900}` : `íd-🎵-${i % 900}`));
    let done = false;
    const building = Dictionary.fromUtf8InTurns(await utf8StringsInTurns(ids), 100).then((d) => ((done = true), d));
    // Ten slices need nine more turns: after one event-loop turn of ours it is still going.
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    const d = await building;
    const want = Dictionary.from(ids);
    expect(d.ids).toEqual(want.ids);
    expect(d.size).toBe(want.size);
    expect(d.get('íd-🎵-899')).toBe(want.get('íd-🎵-899'));
    expect(d.get('nope')).toBeUndefined();
    expect((await Dictionary.fromUtf8InTurns(await utf8StringsInTurns([]))).size).toBe(0);
  });
});

describe('Dictionary.internAll', () => {
  it('maps each id to its index, adding new ones in order, through a transform when given', () => {
    const d = Dictionary.from(['a', 'b']);
    expect([...d.internAll(['b', 'c', 'a', 'c', 'd'])]).toEqual([1, 2, 0, 2, 3]);
    expect(d.ids).toEqual(['a', 'b', 'c', 'd']);
    expect([...d.internAll(['x', 'a'], (id) => `p-${id}`)]).toEqual([4, 5]);
    expect(d.ids.slice(4)).toEqual(['p-x', 'p-a']);
    expect(d.internAll([])).toHaveLength(0);
  });
});
