import { beforeAll, describe, expect, it } from 'vitest';
import { computeSignals, type SignalsResult } from '../../src/signals/index.js';
import { ACCOUNT_FEATURES, type AccountFeature, type AccountFeatures } from '../../src/signals/anomaly.js';
import { defaultSignalsConfig } from '../../src/signals/config.js';
import { accountTrust } from '../../src/signals/trust.js';
import type { EventLog } from '../../src/types.js';
import { population, POPULATION_AS_OF, rng, TARGETS, type Population } from './population.js';

let pop: Population;
let log: EventLog;
let result: SignalsResult;

function trustOf(id: string): number {
  return result.interactions.trust![log.users.get(id)!];
}

beforeAll(() => {
  pop = population(7, 300);
  log = pop.builder.build();
  result = computeSignals(log, { asOf: POPULATION_AS_OF });
});

describe('account trust', () => {
  it('judges every farm style not human', () => {
    expect(trustOf(pop.bots.roundTheClock)).toBeLessThan(0.5);
    expect(trustOf(pop.bots.shift)).toBeLessThan(0.5);
    expect(trustOf(pop.bots.filler)).toBeLessThan(0.5);
    expect(trustOf(pop.bots.disguised)).toBeLessThan(0.5);
  });

  it('keeps the heavy human listener and every ordinary listener at trust ≥ 0.5', () => {
    expect(trustOf(pop.heavy)).toBeGreaterThanOrEqual(0.5);
    const lowest = Math.min(...pop.humans.map(trustOf));
    expect(lowest).toBeGreaterThanOrEqual(0.5);
    expect(result.report.totals.not_human_accounts).toBe(4);
  });

  it('explains each flagged account with the evidence', () => {
    const accounts = result.report.accounts;
    expect(accounts.map((a) => a.user_id).slice(0, 4).sort()).toEqual(['bot_clock', 'bot_disguised', 'bot_filler', 'bot_shift']);
    for (let i = 1; i < accounts.length; i++) expect(accounts[i].trust).toBeGreaterThanOrEqual(accounts[i - 1].trust);
    const filler = accounts.find((a) => a.user_id === pop.bots.filler)!;
    expect(filler.reasons.some((r) => /^\d+% of plays end between 30 and 35 s \(median [\d.]+%\)$/.test(r))).toBe(true);
    expect(filler.reasons.some((r) => r.includes('around the clock') || r.includes('no sleep gap'))).toBe(true);
    // The disguised farm keeps human hours: caught by its 31-s loops of a few never-finished tracks.
    const disguised = accounts.find((a) => a.user_id === pop.bots.disguised)!;
    expect(disguised.reasons.some((r) => r.includes('between 30 and 35 s'))).toBe(true);
    expect(disguised.reasons.some((r) => r.includes('never to the end'))).toBe(true);
    expect(disguised.reasons.some((r) => r.includes('no sleep gap'))).toBe(false);
    const shift = accounts.find((a) => a.user_id === pop.bots.shift)!;
    expect(shift.reasons.length).toBeGreaterThanOrEqual(2);
    // The shift farm sleeps like a person: the rhythm features must not be what caught it.
    expect(shift.reasons.some((r) => r.includes('no sleep gap'))).toBe(false);
  });

  it('drops the interactions of accounts judged not human', () => {
    const m = result.interactions;
    for (const id of Object.values(pop.bots)) {
      const u = log.users.get(id)!;
      expect(m.indptr[u + 1] - m.indptr[u]).toBe(0);
    }
    expect(result.report.totals.dropped_entries).toBeGreaterThan(0);
    const heavy = log.users.get(pop.heavy)!;
    expect(m.indptr[heavy + 1] - m.indptr[heavy]).toBeGreaterThan(100);
  });

  it('flags the tracks the farms push, and no human favourite', () => {
    const flagged = result.report.tracks.map((t) => t.track_id).sort();
    expect(flagged).toEqual([...TARGETS].sort());
    for (const t of result.report.tracks) {
      expect(t.reasons[0]).toMatch(/^\d+% of its \d+ plays come from \d+ accounts? judged not human$/);
    }
  });

  it('trusts everyone when anomaly detection is off', () => {
    const small = population(11, 40).builder.build();
    const off = computeSignals(small, { asOf: POPULATION_AS_OF, config: { anomaly: { enabled: false } } });
    expect(Math.min(...off.interactions.trust!)).toBe(1);
    expect(off.report.accounts).toEqual([]);
    expect(off.report.totals.dropped_entries).toBe(0);
  });
});

describe('joint evidence', () => {
  /** 200 accounts with typical values (small seeded spread), then the given outliers. */
  function features(outliers: Partial<Record<AccountFeature, number>>[]): AccountFeatures {
    const rand = rng(3);
    const n = 200 + outliers.length;
    const typical: Record<AccountFeature, number> = {
      peakPlaysPerHour: 15,
      playsPerActiveDay: 20,
      activeHoursPerDay: 3,
      shortPlayShare: 0.01,
      gapRegularity: 0.5,
      topTrackShare: 0.1,
      unfinishedLoopShare: 0.01,
      distinctTrackRatio: 0.4,
      hourEntropy: 3.5,
      quietHours: 8,
    };
    const values = Object.fromEntries(
      ACCOUNT_FEATURES.map((f) => [f, Float64Array.from({ length: n }, () => typical[f] * (0.8 + 0.4 * rand()))]),
    ) as Record<AccountFeature, Float64Array>;
    outliers.forEach((o, i) => {
      for (const [f, v] of Object.entries(o)) values[f as AccountFeature][200 + i] = v;
    });
    return { plays: new Int32Array(n).fill(100), values };
  }

  it('needs two anomalous families to judge an account not human', () => {
    const config = defaultSignalsConfig();
    const f = features([
      { playsPerActiveDay: 400, peakPlaysPerHour: 60, activeHoursPerDay: 16 }, // volume only
      { shortPlayShare: 0.9 }, // mechanical only
      { shortPlayShare: 0.9, topTrackShare: 0.5 }, // mechanical + concentration
      { peakPlaysPerHour: 110, hourEntropy: 4.58, quietHours: 0 }, // volume + rhythm
    ]);
    const { trust, reasons } = accountTrust(f, config);
    expect(trust[200]).toBeCloseTo(1 - config.anomaly.rankWeights[0], 6);
    expect(trust[201]).toBeCloseTo(1 - config.anomaly.rankWeights[0], 6);
    expect(trust[202]).toBeLessThan(0.5);
    expect(trust[203]).toBeLessThan(0.5);
    expect(reasons.get(202)).toEqual([
      '90% of plays end between 30 and 35 s (median 1%)',
      expect.stringMatching(/^50% of plays are of one track \(median 10%\)$/),
    ]);
    for (let u = 0; u < 200; u++) expect(trust[u]).toBe(1);
  });
});
