import { describe, expect, it } from 'vitest';
import { formatReason } from '../../src/playlist/reasons.js';
import { REASON_DISCOVERY, REASON_NEW_RELEASE, REASON_SIMILAR } from '../../src/rerank/reranker.js';

const names = {
  trackIds: ['t0', 't1', 't2', 't3'],
  trackTitles: ['Electric Heart', 'Electric Heart', '', 'Plain'],
  artistIds: ['a0', 'a1'],
  trackArtist: Int32Array.of(0, 1, 0, -1),
};

describe('formatReason', () => {
  it('tells tracks that share a title apart by their artist', () => {
    expect(formatReason(REASON_SIMILAR, 0, 1, names)).toBe('because you played Electric Heart by a0 and Electric Heart by a1');
  });

  it('names a track by id without a title, by title alone without an artist', () => {
    expect(formatReason(REASON_SIMILAR, 2, -1, names)).toBe('because you played t2');
    expect(formatReason(REASON_SIMILAR, 3, 2, names)).toBe('because you played Plain and t2');
    expect(formatReason(REASON_SIMILAR, 0, 1, { ...names, trackTitles: undefined })).toBe('because you played t0 and t1');
  });

  it('words discoveries and new releases', () => {
    expect(formatReason(REASON_SIMILAR, -1, -1, names)).toBe('picked for your taste');
    expect(formatReason(REASON_DISCOVERY, 1, -1, names)).toBe('a discovery: fans of a1 love it');
    expect(formatReason(REASON_DISCOVERY, 3, -1, names)).toBe('a discovery: fans of Plain love it');
    expect(formatReason(REASON_DISCOVERY, -1, -1, names)).toBe('a discovery picked for your taste');
    expect(formatReason(REASON_NEW_RELEASE, 1, -1, names)).toBe('new release from an artist you like: a1');
    expect(formatReason(REASON_NEW_RELEASE, -1, -1, names)).toBe('new release from an artist you like');
  });
});
