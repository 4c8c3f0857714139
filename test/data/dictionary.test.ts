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
