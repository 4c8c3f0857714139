import { describe, expect, it } from 'vitest';
import { computeSignals, formatSignalsSummary, type SignalsConfigInput } from '../../src/signals/index.js';
import { makeLog, type Row } from './make-log.js';
import { formatSignalsLines } from '../../src/cli/ingest-summary.js';

const DAY = 86_400_000;
const AS_OF = Date.UTC(2024, 5, 1);
const DUR = 200_000;

/** Pref and weight of (user, track), or undefined when there is no entry. */
function entry(rows: Row[], config: SignalsConfigInput, user = 'u', track = 't', asOf = AS_OF) {
  const log = makeLog(rows);
  const { interactions: m, report, exclusions } = computeSignals(log, { asOf, config });
  const u = log.users.get(user)!;
  const t = log.tracks.get(track)!;
  let found: { pref: number; weight: number } | undefined;
  for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) if (m.indices[p] === t) found = { pref: m.pref[p], weight: m.weight[p] };
  return { found, report, exclusions, log, m };
}

const full = (ts: number, track = 't', user = 'u'): Row => ({ user, track, ts, kind: 'play', ms: DUR, duration: DUR });
const linearNoDecay: SignalsConfigInput = { repeat: { mode: 'linear' }, decay: false };

describe('time decay', () => {
  it('weighs a single event by exp(-ln2·Δt/h)', () => {
    const age = 30 * DAY + 12_345;
    const { found } = entry([full(AS_OF - age)], { repeat: { mode: 'linear' }, halfLifeDays: 45 });
    expect(found?.pref).toBe(1);
    expect(found?.weight).toBe(Math.fround(Math.exp((-Math.LN2 * age) / (45 * DAY))));
  });

  it('halves evidence every half-life', () => {
    const { found } = entry([full(AS_OF - 10 * DAY)], { repeat: { mode: 'linear' } });
    expect(found?.weight).toBeCloseTo(0.5, 6);
  });

  it('keeps an old play a positive entry at any age, and its sign against a skip', () => {
    // 60 half-lives: 1 + x rounds to 1 (a log2(1 + x) repeat gave no evidence); 200: below float32.
    for (const halfLives of [20, 60, 200, 2000]) {
      for (const mode of ['log', 'power', 'linear'] as const) {
        const old = AS_OF - halfLives * 10 * DAY;
        const { found } = entry([full(old), full(old - DAY)], { repeat: { mode } });
        expect(found?.pref, `${halfLives} half-lives, ${mode}`).toBe(1);
        expect(found?.weight).toBeGreaterThan(0);
        expect(found?.weight).toBeLessThan(mode === 'power' ? 2 ** -9 : 2 ** -17);
        const skip: Row = { user: 'u', track: 't', ts: old, kind: 'skip', ms: 5000, duration: DUR };
        const netted = entry([skip, { ...skip, ts: old - DAY }, { ...skip, ts: old - 2 * DAY }, full(old)], { repeat: { mode } }).found;
        expect(netted?.pref, `skipped ${halfLives} half-lives ago, ${mode}`).toBe(0);
        expect(netted?.weight).toBeGreaterThan(0);
      }
    }
  });

  it('counts every entry of a log older than float32 decay can hold as positive', () => {
    const rows = [0, 1, 2].map((i) => full(AS_OF - (3000 + i) * DAY, `t${i}`));
    const { report } = entry(rows, {}, 'u', 't0');
    expect(report.totals.entries).toBe(3);
    expect(report.totals.positive_entries).toBe(3);
  });

  it('leaves weights unchanged when switched off', () => {
    for (const off of [{ decay: false }, { halfLifeDays: null }, { halfLifeDays: 0 }] as SignalsConfigInput[]) {
      const { found, report } = entry([full(AS_OF - 400 * DAY)], { repeat: { mode: 'linear' }, ...off });
      expect(found?.weight).toBe(1);
      expect(report.decay.half_life_days).toBeNull();
    }
  });

  it('excludes events after asOf and keeps one exactly at asOf', () => {
    const rows = [full(AS_OF), full(AS_OF + 1, 'later'), full(AS_OF + DAY, 't', 'newcomer')];
    const { found, report, log, m } = entry(rows, linearNoDecay);
    expect(found?.weight).toBe(1);
    expect(report.totals.future).toBe(2);
    expect(report.totals.used).toBe(1);
    // Every user and track of the dictionaries keeps its index; future-only ones have no entries.
    expect(m.indptr.length).toBe(log.users.size + 1);
    expect(m.items.size).toBe(log.tracks.size);
    expect(m.indices.length).toBe(1);
  });
});

describe('plays and skips', () => {
  it('turns a short skip into pref 0 with raised confidence', () => {
    const { found, report } = entry([{ user: 'u', track: 't', ts: AS_OF - DAY, kind: 'skip', ms: 5000, duration: DUR }], {
      ...linearNoDecay,
      negativeConfidence: 3,
    });
    expect(found?.pref).toBe(0);
    expect(found?.weight).toBe(Math.fround(0.5 * 3));
    expect(report.totals.negative_entries).toBe(1);
    expect(report.totals.early_skips).toBe(1);
  });

  it('treats a play under 30 s, or a skip under 30 s or 25% of the track, as an early skip', () => {
    const short = entry([{ user: 'u', track: 't', ts: AS_OF, kind: 'play', ms: 20_000, duration: DUR }], linearNoDecay);
    expect(short.found?.pref).toBe(0);
    expect(short.report.totals.early_skips).toBe(1);
    // A skip at 40 s of 200 s is under a quarter of the track: early.
    const quarterSkip = entry([{ user: 'u', track: 't', ts: AS_OF, kind: 'skip', ms: 40_000, duration: DUR }], linearNoDecay);
    expect(quarterSkip.found?.pref).toBe(0);
    // A play that reached 40 s is a counted stream: 0.2 heard / 0.8 for full weight.
    const stream = entry([{ user: 'u', track: 't', ts: AS_OF, kind: 'play', ms: 40_000, duration: DUR }], linearNoDecay);
    expect(stream.found).toEqual({ pref: 1, weight: Math.fround(0.2 / 0.8) });
    expect(stream.report.totals.early_skips).toBe(0);
    // 60 s of 200 s is a partial play: 0.3 heard / 0.8 for full weight.
    const partial = entry([{ user: 'u', track: 't', ts: AS_OF, kind: 'play', ms: 60_000, duration: DUR }], linearNoDecay);
    expect(partial.found).toEqual({ pref: 1, weight: Math.fround(0.3 / 0.8) });
    // Without a duration the typical one (210 s) is used: a 50-s skip is under a quarter of it.
    const typical = entry([{ user: 'u', track: 't', ts: AS_OF, kind: 'skip', ms: 50_000 }], linearNoDecay);
    expect(typical.found?.pref).toBe(0);
    // A late skip (past a quarter) counts like a partial play.
    const late = entry([{ user: 'u', track: 't', ts: AS_OF, kind: 'skip', ms: 100_000, duration: DUR }], linearNoDecay);
    expect(late.found).toEqual({ pref: 1, weight: Math.fround(0.5 / 0.8) });
  });

  it('nets a track played fully and skipped', () => {
    const rows: Row[] = [
      full(AS_OF - 3 * DAY),
      full(AS_OF - 2 * DAY),
      full(AS_OF - DAY),
      { user: 'u', track: 't', ts: AS_OF - 1000, kind: 'skip', ms: 4000, duration: DUR },
    ];
    const { found } = entry(rows, { decay: false });
    expect(found?.pref).toBe(1);
    expect(found?.weight).toBe(Math.fround(Math.log2(1 + 3) - Math.log2(1 + 0.5)));

    // One full play against a dislike and two early skips: net negative, scaled by negativeConfidence.
    const against: Row[] = [
      full(AS_OF - 3 * DAY),
      { user: 'u', track: 't', ts: AS_OF - 2 * DAY, kind: 'skip', ms: 2000, duration: DUR },
      { user: 'u', track: 't', ts: AS_OF - DAY, kind: 'skip', ms: 2000, duration: DUR },
      { user: 'u', track: 't', ts: AS_OF - 1000, kind: 'dislike' },
    ];
    const neg = entry(against, { decay: false, negativeConfidence: 2 });
    expect(neg.found?.pref).toBe(0);
    expect(neg.found?.weight).toBe(Math.fround((Math.log2(1 + 5) - Math.log2(1 + 1)) * 2));
  });

  it('gives repeated plays diminishing returns', () => {
    const weights: number[] = [];
    for (let k = 1; k <= 8; k++) {
      const rows = Array.from({ length: k }, (_, i) => full(AS_OF - (i + 1) * DAY));
      weights.push(entry(rows, { decay: false }).found!.weight);
    }
    expect(weights[0]).toBe(1);
    expect(weights[2]).toBe(2);
    expect(weights[6]).toBe(3);
    for (let i = 1; i < weights.length; i++) {
      expect(weights[i]).toBeGreaterThan(weights[i - 1]);
      if (i > 1) expect(weights[i] - weights[i - 1]).toBeLessThan(weights[i - 1] - weights[i - 2]);
    }
    const power = entry(
      Array.from({ length: 4 }, (_, i) => full(AS_OF - (i + 1) * DAY)),
      { decay: false, repeat: { mode: 'power', exponent: 0.5 } },
    );
    expect(power.found?.weight).toBe(2);
  });

  it('counts explicit feedback by the weight table', () => {
    const rows: Row[] = [
      { user: 'u', track: 't', ts: AS_OF, kind: 'like' },
      { user: 'u', track: 't', ts: AS_OF, kind: 'playlist_add' },
      { user: 'u', track: 'o', ts: AS_OF, kind: 'other' },
    ];
    const { found, report } = entry(rows, { ...linearNoDecay, weights: { like: 2, playlist_add: 1.5 } });
    expect(found).toEqual({ pref: 1, weight: 3.5 });
    expect(report.totals.other_events).toBe(1);
  });
});

describe('daily cap', () => {
  it('counts at most capPlaysPerTrackPerDay plays of a track per user and day', () => {
    const day0 = AS_OF - 5 * DAY;
    const rows: Row[] = [];
    for (let i = 0; i < 25; i++) rows.push(full(day0 + i * 60_000));
    for (let i = 0; i < 5; i++) rows.push(full(day0 + DAY + i * 60_000));
    const { found, report } = entry(rows, linearNoDecay);
    expect(report.totals.capped_plays).toBe(5);
    expect(found?.weight).toBe(25);
    const tight = entry(rows, { ...linearNoDecay, capPlaysPerTrackPerDay: 3 });
    expect(tight.report.totals.capped_plays).toBe(22 + 2);
    expect(tight.found?.weight).toBe(6);
  });

  it('still caps per day when timestamps span thousands of years', () => {
    const far = 2_000_000 * DAY;
    const rows: Row[] = [full(0)];
    for (let i = 0; i < 25; i++) rows.push(full(far + i * 60_000));
    const { found, report } = entry(rows, linearNoDecay, 'u', 't', far + DAY);
    expect(report.totals.capped_plays).toBe(5);
    expect(found?.weight).toBe(21);
  });
});

describe('dislike exclusions', () => {
  const rows: Row[] = [
    { user: 'u', track: 'a1', ts: AS_OF - 5 * DAY, kind: 'dislike', artist: 'A' },
    { user: 'u', track: 'a2', ts: AS_OF - 4 * DAY, kind: 'dislike', artist: 'A' },
    { user: 'u', track: 'b1', ts: AS_OF - 4 * DAY, kind: 'dislike', artist: 'B' },
    // Disliked, then liked again later: taken back.
    { user: 'u', track: 'b2', ts: AS_OF - 4 * DAY, kind: 'dislike', artist: 'B' },
    { user: 'u', track: 'b2', ts: AS_OF - 3 * DAY, kind: 'like', artist: 'B' },
    { user: 'v', track: 'a1', ts: AS_OF - 3 * DAY, kind: 'play', ms: DUR, duration: DUR, artist: 'A' },
    // A dislike after asOf does not count.
    { user: 'v', track: 'a2', ts: AS_OF + DAY, kind: 'dislike', artist: 'A' },
  ];

  it('lists disliked tracks and artists per user', () => {
    const { exclusions, log, report } = entry(rows, {}, 'u', 'a1');
    const u = log.users.get('u')!;
    const v = log.users.get('v')!;
    const tracks = exclusions.tracks;
    expect(tracks.rows).toBe(log.users.size);
    expect(tracks.cols).toBe(log.tracks.size);
    const userTracks = Array.from(tracks.indices.subarray(tracks.indptr[u], tracks.indptr[u + 1])).map((t) => log.tracks.ids[t]);
    expect(userTracks).toEqual(['a1', 'a2', 'b1']);
    expect(tracks.indptr[v + 1] - tracks.indptr[v]).toBe(0);
    const artists = exclusions.artistsByUser;
    expect(artists.cols).toBe(log.artists!.size);
    const userArtists = Array.from(artists.indices.subarray(artists.indptr[u], artists.indptr[u + 1])).map((a) => log.artists!.ids[a]);
    expect(userArtists).toEqual(['A']);
    expect(report.totals.excluded_tracks).toBe(3);
    expect(report.totals.excluded_artists).toBe(1);
  });

  it('also makes dislikes negative evidence, and has no artist exclusions without artist ids', () => {
    const plain = rows.map(({ artist: _artist, ...r }) => r);
    const { found, exclusions } = entry(plain, {}, 'u', 'a1');
    expect(found?.pref).toBe(0);
    expect(found!.weight).toBeGreaterThan(0);
    expect(exclusions.artistsByUser.cols).toBe(0);
    expect(exclusions.tracks.indices.length).toBe(3);
  });
});

describe('options and report', () => {
  it('rejects a bad asOf and a bad config key by name', () => {
    const log = makeLog([full(AS_OF)]);
    expect(() => computeSignals(log, { asOf: Number.NaN })).toThrow(/options\.asOf/);
    expect(() => computeSignals(log, { asOf: AS_OF, config: { weights: { like: -1 } } })).toThrow(/weights\.like/);
    expect(() => computeSignals(log, { asOf: AS_OF, config: { halfLife: 3 } as SignalsConfigInput })).toThrow(/halfLife: unknown key/);
  });

  it('rejects events whose user index is outside the dictionary', () => {
    const log = makeLog([full(AS_OF)]);
    const broken = { ...log, user: Int32Array.of(4) };
    expect(() => computeSignals(broken, { asOf: AS_OF })).toThrow(/log\.user\[0\] = 4/);
  });

  it('produces a JSON-serialisable report and a readable summary', () => {
    const rows = [full(AS_OF - DAY), full(AS_OF + DAY, 'x'), { user: 'u', track: 's', ts: AS_OF - DAY, kind: 'skip', ms: 1000 } as Row];
    const log = makeLog(rows);
    const { report } = computeSignals(log, { asOf: AS_OF, validation: { bad_rows: 2 } });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.asOf).toBe('2024-06-01T00:00:00.000Z');
    expect(report.validation).toEqual({ bad_rows: 2 });
    expect(report.decay).toEqual({ half_life_days: 10, newest_event_weight: 0.933, stale: false, faded_share: 0, mostly_faded: false });
    expect(report.totals).toMatchObject({ events: 3, used: 2, future: 1, positive_entries: 1, negative_entries: 1 });
    expect(report.config.weights.play).toBe(1);
    const text = formatSignalsSummary(report);
    expect(text).toContain('signals as of 2024-06-01T00:00:00.000Z (half-life 10 days)');
    expect(text).toContain('future 1');
    expect(text).toContain('1 positive, 1 negative');
    expect(text).toContain('validation: bad_rows 2');
    const clean = computeSignals(log, { asOf: AS_OF, validation: { bad_rows: 0, missing_id: 0 } }).report;
    expect(formatSignalsSummary(clean)).toContain('validation: every row passed 2 rules');
    expect(text).not.toContain('warning');
  });

  it('warns when every event is over four half-lives old at the as-of time', () => {
    const log = makeLog([full(AS_OF - 100 * DAY), full(AS_OF - 200 * DAY, 'x')]);
    const { report } = computeSignals(log, { asOf: AS_OF });
    expect(report.decay).toEqual({ half_life_days: 10, newest_event_weight: 0.000977, stale: true, faded_share: 1, mostly_faded: true });
    expect(formatSignalsSummary(report)).toContain('warning: the newest event counts 0.000977 of a fresh one');
    expect(formatSignalsSummary(report)).not.toContain('% of the events');
    const off = computeSignals(log, { asOf: AS_OF, config: { decay: false } }).report;
    expect(off.decay).toEqual({ half_life_days: null });
  });

  it('counts the events over four half-lives old, and warns when they are most of the log', () => {
    // Three fresh events, then five over 40 days old (one just past it), one exactly at 40 days.
    const old = [41, 100, 365, 2000, 40.001].map((d, i) => full(AS_OF - d * DAY, `old${i}`));
    const rows = [full(AS_OF - DAY), full(AS_OF - 2 * DAY, 'b'), full(AS_OF - 40 * DAY, 'c'), ...old];
    const { report } = computeSignals(makeLog(rows), { asOf: AS_OF });
    expect(report.totals.faded_events).toBe(5);
    expect(report.decay).toMatchObject({ stale: false, faded_share: 0.625, mostly_faded: true });
    const warning = 'warning: 63% of the events are over four half-lives (40 days) old and weigh under 1/16 of a fresh one';
    expect(formatSignalsSummary(report)).toContain(warning);
    expect(formatSignalsLines(report, false).join('\n')).toContain(warning);
    // Half of the log faded is not most of it; a longer half-life fades none of it.
    const half = computeSignals(makeLog(rows.slice(0, 6)), { asOf: AS_OF }).report;
    expect(half.decay).toMatchObject({ faded_share: 0.5, mostly_faded: false });
    expect(formatSignalsSummary(half)).not.toContain('warning');
    const long = computeSignals(makeLog(rows), { asOf: AS_OF, config: { halfLifeDays: 600 } }).report;
    expect(long.totals.faded_events).toBe(0);
    expect(long.decay.mostly_faded).toBe(false);
    expect(computeSignals(makeLog(rows), { asOf: AS_OF, config: { decay: false } }).report.totals.faded_events).toBe(0);
  });
});
