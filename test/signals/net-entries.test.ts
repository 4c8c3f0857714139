import { describe, expect, it } from 'vitest';
import { resolveSignalsConfig } from '../../src/signals/config.js';
import { repeatTransform } from '../../src/signals/evidence.js';
import { groupEvidence, netEntries } from '../../src/signals/net-entries.js';
import type { EventLog } from '../../src/types.js';
import { ArrayPool } from '../../src/util/array-pool.js';
import { mulberry32 } from '../reference/random.js';

/** The reference: float32 sums per (user, track) in event order, then netted as the stage's rule says. */
function reference(user: Int32Array, track: Int32Array, evidence: Float32Array, users: number, trust: Float32Array, config: ReturnType<typeof resolveSignalsConfig>) {
  const cells = new Map<number, Map<number, { pos: Float32Array; neg: Float32Array }>>();
  for (let j = 0; j < user.length; j++) {
    const row = cells.get(user[j]) ?? new Map();
    cells.set(user[j], row);
    const cell = row.get(track[j]) ?? { pos: new Float32Array(1), neg: new Float32Array(1) };
    row.set(track[j], cell);
    if (evidence[j] >= 0) cell.pos[0] += evidence[j];
    else cell.neg[0] += -evidence[j];
  }
  const dropBelow = config.anomaly.enabled ? config.anomaly.dropBelowTrust : 0;
  const indptr = [0];
  const indices: number[] = [];
  const pref: number[] = [];
  const weight: number[] = [];
  let dropped = 0;
  for (let u = 0; u < users; u++) {
    const row = [...(cells.get(u) ?? new Map()).entries()].sort((x, y) => x[0] - y[0]);
    if (trust[u] < dropBelow) dropped += row.length;
    else
      for (const [t, c] of row) {
        const P = repeatTransform(c.pos[0], config);
        const N = repeatTransform(c.neg[0], config);
        indices.push(t);
        pref.push(P > N ? 1 : 0);
        weight.push(Math.fround(P > N ? (P - N) * trust[u] : (N - P) * config.negativeConfidence * trust[u]));
      }
    indptr.push(indices.length);
  }
  return { indptr, indices, pref, weight, dropped };
}

describe('entries netted per account', () => {
  it.each([
    ['sums as they are', {}],
    ['log repeats, accounts dropped below 0.5 trust', { repeat: { mode: 'log' }, anomaly: { dropBelowTrust: 0.5 } }],
    ['power repeats, anomaly filtering off', { repeat: { mode: 'power', exponent: 0.7 }, anomaly: { enabled: false, dropBelowTrust: 0.5 } }],
  ])('match per-cell float32 sums in event order, columns ascending: %s', (_, input) => {
    const config = resolveSignalsConfig(input as never);
    const rng = mulberry32(9);
    for (const [n, users, tracks] of [[0, 3, 4], [1, 1, 1], [500, 1, 7], [4000, 40, 30], [4000, 3, 2000]]) {
      // One account with many distinct tracks passes the insertion sort's limit.
      const user = Int32Array.from({ length: n }, () => Math.floor(rng() * users));
      const track = Int32Array.from({ length: n }, () => Math.floor(rng() * tracks));
      const evidence = Float32Array.from({ length: n }, () => (rng() < 0.3 ? -rng() * 2 : rng() < 0.05 ? 0 : rng() * 3));
      const trust = Float32Array.from({ length: users }, () => (rng() < 0.3 ? rng() * 0.5 : 1));
      const log = { length: n, user, track, users: { size: users }, tracks: { size: tracks } } as unknown as EventLog;
      const pool = new ArrayPool(n);
      const events = Int32Array.from({ length: n }, (_, e) => e);
      const got = netEntries(groupEvidence(log, events, evidence, pool), trust, config, pool);
      const want = reference(user, track, evidence, users, trust, config);
      expect(Array.from(got.indptr)).toEqual(want.indptr);
      expect(Array.from(got.indices)).toEqual(want.indices);
      expect(Array.from(got.pref)).toEqual(want.pref);
      expect(Array.from(got.weight)).toEqual(want.weight);
      expect(got.dropped).toBe(want.dropped);
      expect(got.positive).toBe(want.pref.filter((p) => p === 1).length);
    }
  });
});
