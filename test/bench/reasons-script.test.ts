import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dictionary } from '../../src/data/dictionary.js';
import { Model } from '../../src/model/model.js';
import { benchJson, runBenchScript } from './run-script.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-reasons-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench/reasons.ts (smoke)', () => {
  it('counts the distinct first-named tracks and the cosines of hand-made reasons', async () => {
    // Four tracks with two factors: t0 ∥ t1 (cosine 1), t2 ⟂ t0, t3 = −t0.
    const items = Dictionary.from(['t0', 't1', 't2', 't3']);
    const users = Dictionary.from(['u']);
    const model = new Model({
      params: { factors: 2, iterations: 1, regularization: 0.01, alpha: 2, confidence: 'log', epsilon: 1, solver: 'cg', cgSteps: 3, seed: 1 },
      users,
      items,
      userFactors: Float32Array.of(1, 0),
      itemFactors: Float32Array.of(1, 0, 2, 0, 0, 1, -1, 0),
      seen: { indptr: Int32Array.of(0, 0), indices: new Int32Array(0), pref: new Float32Array(0), weight: new Float32Array(0) },
      history: [],
    });
    await model.save(path.join(dir, 'model'));
    writeFileSync(path.join(dir, 'catalog.csv'), 'track_id,artist_id,title\nt0,a,Zero\nt1,a,One\nt2,b,Two\nt3,b,Three\n');
    const rows = ['user_id,week,position,track_id,artist_id,score,reason'];
    // Five slots for one listener: first-named One ×3, Two ×2 (the second names Three once).
    const reasons: [string, string][] = [['t0', 'One by a'], ['t0', 'One by a and Three by b'], ['t0', 'One by a'], ['t0', 'Two by b'], ['t0', 'Two by b']];
    reasons.forEach(([t, r], i) => rows.push(`u,2026-W10,${i + 1},${t},a,0.5,because you played ${r}`));
    rows.push('v,2026-W10,1,t1,a,0.5,popular with listeners');
    writeFileSync(path.join(dir, 'week.csv'), `${rows.join('\n')}\n`);
    const out = benchJson('reasons', ['--model', path.join(dir, 'model'), '--playlists', path.join(dir, 'week.csv'), '--catalog', path.join(dir, 'catalog.csv')]);
    expect(out).toMatchObject({ playlists: 1, distinctFirstNamed: 2, mostCitedShare: 0.6, namedFirst: 5 });
    expect(out.cosineFirst).toBeCloseTo((3 * 1 + 2 * 0) / 5, 4);
    expect(out.cosineSecond).toBeCloseTo(-1, 4);
  });

  it('stops on a misspelt flag instead of running on the defaults', () => {
    const r = runBenchScript('reasons', ['--playlist', 'x.csv']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("Unknown option '--playlist'");
  });
});
