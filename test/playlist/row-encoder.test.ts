import { describe, expect, it } from 'vitest';
import { archiveLines } from '../../src/playlist/archive.js';
import { encodeRows } from '../../src/playlist/output.js';
import { RowEncoder } from '../../src/playlist/row-encoder.js';
import { toBatch } from '../../src/playlist/rows.js';
import { REASON_DISCOVERY, REASON_NEW_RELEASE, REASON_POPULAR, REASON_SIMILAR, allocSlots } from '../../src/rerank/reranker.js';
import { mulberry32 } from '../../src/util/random.js';

describe('RowEncoder', () => {
  it('writes exactly the rows of encodeRows and archiveLines, ids needing quotes included', () => {
    const names = {
      trackIds: ['t0', 't,1', 't"2"', 't3'],
      trackTitles: ['', 'Song, one', '', 'Plain'],
      artistIds: ['a0', 'a\n1'],
      trackArtist: Int32Array.of(0, 1, -1, 0),
    };
    const userIds = ['u0', 'u,"1"', 'u2'];
    const out = allocSlots(3, 3);
    const rows: [number, number, number, number, number, number][] = [
      // user, slot, track, reason, refA, refB
      [0, 0, 1, REASON_SIMILAR, 0, 3],
      [0, 1, 2, REASON_DISCOVERY, 1, -1],
      [1, 0, 3, REASON_NEW_RELEASE, 1, -1],
      [1, 1, 0, REASON_SIMILAR, -1, -1],
      [1, 2, 2, REASON_SIMILAR, 2, -1],
      [2, 0, 0, REASON_DISCOVERY, -1, -1],
    ];
    for (const [u, s, t, code, a, b] of rows) {
      const o = u * 3 + s;
      out.items[o] = t;
      out.scores[o] = 0.1 * (o + 1) + 1e-3;
      out.reason[o] = code;
      out.refA[o] = a;
      out.refB[o] = b;
      out.count[u] = Math.max(out.count[u], s + 1);
    }
    const r = { ...out, users: Int32Array.of(0, 1, 2) };
    const enc = new RowEncoder(userIds, names);
    const batch = toBatch(r, userIds, names);
    const dec = new TextDecoder();
    expect(enc.csv(r, '2026-W48')).toBe(dec.decode(encodeRows(batch, '2026-W48', 'csv').bytes));
    expect(enc.jsonl(r, '2026-W48')).toBe(dec.decode(encodeRows(batch, '2026-W48', 'jsonl').bytes));
    expect(enc.archive(r)).toBe(archiveLines(batch));
    expect(enc.jsonl(r, '2026-W48').trim().split('\n')).toHaveLength(6);
    // Cached fields give the same text the second time.
    expect(enc.csv(r, '2026-W48')).toBe(dec.decode(encodeRows(batch, '2026-W48', 'csv').bytes));
  });

  it('writes the rows of encodeRows for random shards with ids and titles beyond ASCII', () => {
    const rand = mulberry32(3);
    const pick = (n: number): number => Math.floor(rand() * n);
    const tracks = 300;
    const names = {
      trackIds: Array.from({ length: tracks }, (_, t) => (t % 7 === 0 ? `tr,"${t}"` : t % 5 === 0 ? `трек-${t}-🎵` : `t${t}`)),
      trackTitles: Array.from({ length: tracks }, (_, t) => (t % 3 === 0 ? '' : t % 4 === 0 ? `Canción ${t}, "live"` : `Song ${t}`)),
      artistIds: Array.from({ length: 40 }, (_, a) => (a % 6 === 0 ? `künstler\n${a}` : `a${a}`)),
      trackArtist: Int32Array.from({ length: tracks }, (_, t) => (t % 11 === 0 ? -1 : t % 40)),
    };
    const userIds = Array.from({ length: 60 }, (_, u) => (u % 9 === 0 ? `ü"${u}",x` : `user${u}`));
    const enc = new RowEncoder(userIds, names);
    const dec = new TextDecoder();
    for (const [users, size] of [[60, 30], [1, 1], [5, 4], [0, 3]] as const) {
      const out = allocSlots(users, size);
      for (let u = 0; u < users; u++) {
        out.count[u] = pick(size + 1);
        for (let s = 0; s < out.count[u]; s++) {
          const o = u * size + s;
          out.items[o] = pick(tracks);
          out.scores[o] = (rand() - 0.2) * 3;
          out.reason[o] = [REASON_SIMILAR, REASON_DISCOVERY, REASON_NEW_RELEASE, REASON_POPULAR][pick(4)];
          out.refA[o] = out.reason[o] === REASON_NEW_RELEASE ? pick(40) : pick(3) === 0 ? -1 : pick(tracks);
          out.refB[o] = pick(2) === 0 ? -1 : pick(tracks);
        }
      }
      const r = { ...out, users: Int32Array.from({ length: users }, (_, i) => (i * 7) % 60) };
      const batch = toBatch(r, userIds, names);
      // Twice: the second time from the encoder's cached pieces.
      for (let pass = 0; pass < 2; pass++) {
        expect(enc.csv(r, '2026-W01')).toBe(dec.decode(encodeRows(batch, '2026-W01', 'csv').bytes));
        expect(enc.jsonl(r, '2026-W01')).toBe(dec.decode(encodeRows(batch, '2026-W01', 'jsonl').bytes));
        expect(enc.archive(r)).toBe(archiveLines(batch));
      }
    }
  });
});
