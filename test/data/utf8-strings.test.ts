import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { nullableUtf8Vector, Utf8Collector, Utf8Pieces, utf8Strings, utf8StringsInTurns, utf8Vector, utf8VectorOf } from '../../src/data/utf8-vector.js';
import { readStringColumn } from '../../src/model/columnar.js';
import { toSharedInTurns } from '../../src/util/shared-memory.js';

// A lone surrogate is written as U+FFFD, as TextEncoder does.
const ids = ['u1', '', 'ünïcødé', '曲-42', '🎵 track', 'x'.repeat(100), 'lone \uD800 half', 'plain'];
const decoded = ids.map((id) => new TextDecoder().decode(new TextEncoder().encode(id)));

describe('utf8StringsInTurns', () => {
  it('lays the strings out as UTF-8 end to end, whatever the slice per turn', async () => {
    const encoder = new TextEncoder();
    for (const perTurn of [1, 2, 3, 100]) {
      const s = await utf8StringsInTurns(ids, perTurn);
      expect(s.offsets.length).toBe(ids.length + 1);
      ids.forEach((id, i) => expect([...s.bytes.subarray(s.offsets[i], s.offsets[i + 1])]).toEqual([...encoder.encode(id)]));
      expect(s.offsets[ids.length]).toBe(s.bytes.length);
      expect(utf8VectorOf(s).toArray()).toEqual(decoded);
    }
    expect(utf8Vector(ids).toArray()).toEqual(decoded);
  });

  it('writes straight into shared memory when asked, growing it as plain memory grows', async () => {
    const plain = await utf8StringsInTurns(ids, 3);
    // Eight ids start with 64 bytes; the 100-byte id makes the buffer grow (twice) part-way through.
    const shared = await utf8StringsInTurns(ids, 3, { shared: true });
    expect(shared.offsets.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...shared.offsets]).toEqual([...plain.offsets]);
    expect([...shared.bytes]).toEqual([...plain.bytes]);
    expect(utf8VectorOf(shared).toArray()).toEqual(decoded);
  });

  it('handles no strings', async () => {
    const s = await utf8StringsInTurns([]);
    expect([...s.offsets]).toEqual([0]);
    expect(s.bytes.length).toBe(0);
    expect(utf8VectorOf(s).length).toBe(0);
  });
});

describe('nullableUtf8Vector', () => {
  it('equals the vector arrow builds value by value, nulls included, and travels through IPC alike', () => {
    for (const values of [ids.map((id, i) => (i % 3 === 1 ? null : id)), ids, [null, null], [] as (string | null)[], ['a', null, ...ids, null]]) {
      const ours = nullableUtf8Vector(values);
      const theirs = arrow.vectorFromArray(values, new arrow.Utf8());
      expect([...ours]).toEqual([...theirs]);
      expect(ours.nullCount).toBe(theirs.nullCount);
      const round = (v: arrow.Vector) => arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table({ c: v }))).getChild('c')!;
      expect([...round(ours)]).toEqual([...round(theirs)]);
    }
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

describe('Utf8Pieces', () => {
  it('lays out appended pieces as utf8Strings lays out their strings, growing past its hints', () => {
    const values = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? '' : i % 5 === 0 ? `zoë-🎧-${'x'.repeat(i)}` : `id-${i}`));
    const pieces = new Utf8Pieces(4, 2);
    const encoder = new TextEncoder();
    for (const v of values) pieces.push(encoder.encode(v));
    expect(pieces.length).toBe(values.length);
    const want = utf8Strings(values);
    expect(pieces.finish()).toEqual(want);
    expect(utf8VectorOf(pieces.finish()).toArray()).toEqual(values);
    expect(new Utf8Pieces(0).finish()).toEqual(utf8Strings([]));
  });
});

describe('Utf8Collector', () => {
  it('gathers Utf8 and LargeUtf8 columns, sliced or chunked, into one layout', () => {
    const a = ['a', 'bé', '', '名前', 'x'.repeat(40)];
    const b = ['🎵', 'plain', 'ü'];
    const c = new Utf8Collector(1);
    c.append(arrow.vectorFromArray(a, new arrow.Utf8()));
    c.append(arrow.vectorFromArray(b, new arrow.LargeUtf8()));
    // A slice starts inside its buffers (offset > 0); a concatenation has several chunks.
    c.append(arrow.vectorFromArray(a, new arrow.Utf8()).slice(1, 4));
    c.append(arrow.vectorFromArray(b, new arrow.Utf8()).concat(arrow.vectorFromArray(a.slice(0, 2), new arrow.Utf8())));
    const want = [...a, ...b, ...a.slice(1, 4), ...b, ...a.slice(0, 2)];
    const s = c.finish();
    expect(s.offsets.length).toBe(want.length + 1);
    expect(utf8VectorOf(s).toArray()).toEqual(want);
    const empty = new Utf8Collector().finish();
    expect([...empty.offsets]).toEqual([0]);
  });

  it('is refused a column that is not text or has nulls, naming the file and column', () => {
    const c = new Utf8Collector();
    const table = new arrow.Table({ ids: arrow.vectorFromArray(['a', null, 'b'], new arrow.Utf8()), n: arrow.makeVector(Int32Array.of(1, 2, 3)) });
    expect(() => readStringColumn(table, 'ids', 'm/users.parquet', c)).toThrow('m/users.parquet: column ids has 1 null values');
    expect(() => readStringColumn(table, 'n', 'm/users.parquet', c)).toThrow('m/users.parquet: column n is Int32, expected text');
    expect(() => readStringColumn(table, 'gone', 'm/users.parquet', c)).toThrow('m/users.parquet: missing column gone');
  });
});
