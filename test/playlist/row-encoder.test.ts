import { describe, expect, it } from 'vitest';
import { archiveLines } from '../../src/playlist/archive.js';
import { encodeRows } from '../../src/playlist/output.js';
import { RowEncoder } from '../../src/playlist/row-encoder.js';
import { toBatch } from '../../src/playlist/rows.js';
import { REASON_DISCOVERY, REASON_NEW_RELEASE, REASON_SIMILAR, allocSlots } from '../../src/rerank/reranker.js';

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
});
