import { expect } from 'vitest';

import { scoreTopK, type ScoreTopKArgs, type TopKPrefilter } from '../../src/native/index.js';
import { bytesOf } from '../reference/shared.js';

/** A top-k call's inputs; `run` makes the outputs. */
export type TopKProblemArgs = Omit<ScoreTopKArgs, 'outItems' | 'outScores' | 'prefilter'>;

/** scoreTopK with fresh outputs; returns them and the path it took. */
export function runTopK(p: TopKProblemArgs, prefilter?: TopKPrefilter) {
  const rows = p.userEnd - p.userBegin;
  const outItems = new Int32Array(rows * p.n);
  const outScores = new Float32Array(rows * p.n);
  const path = scoreTopK({ ...p, outItems, outScores, prefilter });
  return { path, outItems, outScores };
}

/** Bit-level equality of two results (distinguishes −0 and +0, compares NaN payloads). */
export function expectSameBits(a: { outItems: Int32Array; outScores: Float32Array }, b: { outItems: Int32Array; outScores: Float32Array }): void {
  // Bytes first (fast on large outputs); element lists only to show a difference.
  if (!bytesOf(a.outItems).equals(bytesOf(b.outItems))) expect(Array.from(a.outItems)).toEqual(Array.from(b.outItems));
  expect(bytesOf(a.outScores).equals(bytesOf(b.outScores))).toBe(true);
}
