import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../src/data/csr.js';
import { recentRows, type SignedEntries } from '../../src/playlist/recent-rows.js';
import { referenceCsr } from '../reference/order.js';
import { mulberry32, type Rng } from '../reference/random.js';

/** Bit for bit, −0 included. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return a.length === b.length && x.every((w, i) => w === y[i]);
}

/** A map onto [0, size) with a share of −1 (left out). */
function randomMap(rng: Rng, length: number, size: number, leftOut: number): Int32Array {
  return Int32Array.from({ length }, () => (size === 0 || rng() < leftOut ? -1 : Math.floor(rng() * size)));
}

function randomEntries(rng: Rng, logUsers: number, logTracks: number, perUser: number): SignedEntries {
  const indptr = new Int32Array(logUsers + 1);
  const indices: number[] = [];
  for (let u = 0; u < logUsers; u++) {
    const count = logTracks === 0 ? 0 : Math.floor(rng() * perUser * 2);
    const row = new Set<number>();
    for (let i = 0; i < count; i++) row.add(Math.floor(rng() * logTracks));
    indices.push(...[...row].sort((a, b) => a - b));
    indptr[u + 1] = indices.length;
  }
  const n = indices.length;
  const values = [0, 0.25, 1, 3.5, 1e-30, 1e30, 1 / 3];
  return {
    indptr,
    indices: Int32Array.from(indices),
    pref: Float32Array.from({ length: n }, () => (rng() < 0.7 ? 1 : 0)),
    weight: Float32Array.from({ length: n }, () => values[Math.floor(rng() * values.length)]),
  };
}

/** The plain way: every (mapped) event and entry as a triplet, in order, then buildCsr. */
function triplets(user: Int32Array, track: Int32Array, entries: SignedEntries, userMap: Int32Array, trackMap: Int32Array) {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let e = 0; e < user.length; e++) {
    if (userMap[user[e]] >= 0 && trackMap[track[e]] >= 0) r.push(userMap[user[e]]), c.push(trackMap[track[e]]), v.push(0);
  }
  for (let lu = 0; lu + 1 < entries.indptr.length; lu++) {
    for (let p = entries.indptr[lu]; p < entries.indptr[lu + 1]; p++) {
      const t = trackMap[entries.indices[p]];
      if (userMap[lu] < 0 || t < 0) continue;
      r.push(userMap[lu]), c.push(t), v.push(entries.pref[p] > 0 ? entries.weight[p] : -entries.weight[p]);
    }
  }
  return { r: Int32Array.from(r), c: Int32Array.from(c), v: Float32Array.from(v) };
}

describe('recentRows', () => {
  it('gives buildCsr of the mapped triplets bit for bit, and a map of summed cells, at edge sizes', () => {
    const rng = mulberry32(41);
    // [log users, log tracks, events, job users, model tracks, entries per user]
    for (const [logUsers, logTracks, events, users, tracks, perUser] of [
      [0, 0, 0, 0, 0, 0],
      [3, 4, 0, 3, 4, 2],
      [3, 4, 20, 5, 1, 0],
      [1, 1, 30, 1, 1, 1],
      [40, 60, 2_000, 50, 80, 4],
      [500, 3_000, 20_000, 400, 2_500, 6],
      [2_000, 200, 50_000, 2_500, 150, 10],
    ]) {
      for (const leftOut of [0, 0.3]) {
        const user = Int32Array.from({ length: events }, () => Math.floor(rng() * logUsers));
        const track = Int32Array.from({ length: events }, () => Math.floor(rng() * logTracks));
        const entries = randomEntries(rng, logUsers, logTracks, perUser);
        const userMap = randomMap(rng, logUsers, users, leftOut);
        const trackMap = randomMap(rng, logTracks, tracks, leftOut);
        const got = recentRows({ length: events, user, track }, entries, userMap, trackMap, users, tracks);
        const t = triplets(user, track, entries, userMap, trackMap);
        const want = buildCsr(users, tracks, t.r, t.c, [t.v]);
        const label = `${logUsers}/${logTracks}/${events} → ${users}×${tracks}, left out ${leftOut}`;
        expect([got.rows, got.cols], label).toEqual([users, tracks]);
        // In shared memory: the weekly job's workers read it without a copy.
        for (const a of [got.indptr, got.indices, got.values[0]]) expect(a.buffer instanceof SharedArrayBuffer, label).toBe(true);
        expect(Array.from(got.indptr), label).toEqual(Array.from(want.indptr));
        expect(Array.from(got.indices), label).toEqual(Array.from(want.indices));
        expect(sameBits(got.values[0], want.values[0]), label).toBe(true);
        const plain = referenceCsr(users, tracks, t.r, t.c, [t.v]);
        expect(Array.from(got.indices), label).toEqual(Array.from(plain.indices));
        // The plain map starts a cell at its first value, so a lone −0 (a zero-weight negative) stays −0 there.
        expect(Array.from(got.values[0]), label).toEqual(Array.from(plain.values[0], (x) => x + 0));
      }
    }
  });

  it('nets a played and skipped track, keeps a heard-only cell at 0 and drops what the maps leave out', () => {
    // Log users 0..2 → job users 1, −1, 0; log tracks 0..2 → model tracks 2, 0, −1.
    const userMap = Int32Array.of(1, -1, 0);
    const trackMap = Int32Array.of(2, 0, -1);
    const user = Int32Array.of(0, 0, 1, 2, 2, 0);
    const track = Int32Array.of(0, 1, 0, 1, 2, 0);
    const entries: SignedEntries = {
      indptr: Int32Array.of(0, 2, 3, 4),
      indices: Int32Array.of(0, 1, 0, 2),
      pref: Float32Array.of(1, 0, 1, 1),
      weight: Float32Array.of(2, 0.5, 9, 4),
    };
    const m = recentRows({ length: user.length, user, track }, entries, userMap, trackMap, 2, 3);
    // Job user 0 (log user 2): heard track 0 (log 1), nothing known from its entry on log track 2.
    // Job user 1 (log user 0): track 0 (log 1) −0.5, track 2 (log 0) heard twice and +2.
    expect(Array.from(m.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(m.indices)).toEqual([0, 0, 2]);
    expect(Array.from(m.values[0])).toEqual([0, -0.5, 2]);
  });

  it('refuses maps that point outside the matrix, naming the map and the entry', () => {
    const none = { length: 0, user: new Int32Array(0), track: new Int32Array(0) };
    const entries: SignedEntries = { indptr: Int32Array.of(0, 0), indices: new Int32Array(0), pref: new Float32Array(0), weight: new Float32Array(0) };
    expect(() => recentRows(none, entries, Int32Array.of(2), new Int32Array(0), 2, 1)).toThrow(/userMap\[0\] = 2 is outside \[-1, 2\)/);
    expect(() => recentRows(none, entries, Int32Array.of(0), Int32Array.of(0, -2), 1, 1)).toThrow(/trackMap\[1\] = -2 is outside \[-1, 1\)/);
  });
});
