/**
 * Bot streaming. Every bot plays its farm's target tracks for about 31 s (just past the usual
 * 30-second royalty threshold), in back-to-back runs:
 * - around_the_clock: runs spread uniformly over all 24 hours;
 * - shifts: runs inside one 10–14 h window per day;
 * - disguised: sessions at human hours, where a share of plays are normal full plays of random
 *   popular tracks (filler), so the target streams are diluted.
 */
import { EVENT_CODE } from '../types.js';
import { DAY, HOUR, SECOND, isAsleep, sampleTimeOfDay } from './clock.js';
import type { FarmPlan } from './farms.js';
import { Rng } from './rng.js';
import type { SimContext } from './sim-context.js';
import { STREAM } from './streams.js';
import { REGIONS } from './vocab.js';

const PLAY = EVENT_CODE.play;
const MAX_RUNS = 512;

export function simulateBots(ctx: SimContext, farms: readonly FarmPlan[]): void {
  const runStarts = new Float64Array(MAX_RUNS);
  for (let f = 0; f < farms.length; f++) {
    for (const b of farms[f].accounts) simulateBot(ctx, farms[f], b, runStarts);
  }
}

function simulateBot(ctx: SimContext, farm: FarmPlan, b: number, runStarts: Float64Array): void {
  const { o, catalog: c, tables, startMs, endMs, events } = ctx;
  const rng = new Rng(o.seed, STREAM.bot, b);
  const context = farm.device * REGIONS.length + farm.region;
  const offset = REGIONS[farm.region].utcOffsetHours;
  const perDay = o.bots.playsPerDay * rng.logNormal(0, 0.2);
  const fillerShare = rng.range(o.bots.disguise[0], o.bots.disguise[1]);
  const shiftLen = (10 + 4 * rng.float()) * HOUR;
  const nTargets = farm.targets.length;
  let prevEnd = startMs + farm.startWeek * 7 * DAY;

  for (let d = farm.startWeek * 7; d < o.weeks * 7; d++) {
    const dayStart = startMs + d * DAY;
    let remaining = rng.poisson(farm.style === 'disguised' ? perDay * 0.7 : perDay);
    let windowStart = dayStart;
    let windowEnd = dayStart + DAY;
    if (farm.style === 'shifts') {
      windowStart = dayStart + farm.shiftStartHour * HOUR + Math.floor(rng.range(-0.5, 0.5) * HOUR);
      windowEnd = windowStart + shiftLen;
    }
    // Runs (bot sessions): sorted starts, each run begins after the previous one ends.
    let runs = 0;
    // Around the clock: short bursts in many slots; shifts: longer runs; disguised: long sessions.
    const runLen = farm.style === 'disguised' ? 20 : farm.style === 'shifts' ? 12 : 3;
    const nRuns = Math.min(MAX_RUNS, Math.max(1, Math.ceil(remaining / runLen)));
    for (; runs < nRuns; runs++) {
      if (farm.style === 'disguised') runStarts[runs] = sampleTimeOfDay(rng, dayStart, offset);
      else if (farm.style === 'shifts') runStarts[runs] = windowStart + Math.floor(rng.float() * (windowEnd - windowStart) * 0.9);
      // Around the clock: one run in each equal slot of the day, so there is never a long pause.
      else runStarts[runs] = dayStart + Math.floor(((runs + rng.float()) / nRuns) * DAY);
    }
    runStarts.subarray(0, runs).sort();
    for (let i = 0; i < runs && remaining > 0; i++) {
      let t = Math.max(runStarts[i], prevEnd + 5 * SECOND + rng.int(55 * SECOND));
      // The day's streams are shared out over its runs, so no run (and no slot of the day) is left empty.
      const share = Math.max(1, Math.round((remaining / (runs - i)) * rng.range(0.6, 1.4)));
      const len = i === runs - 1 ? remaining : Math.min(remaining, share);
      for (let j = 0; j < len; j++) {
        if (t >= endMs || t >= windowEnd) break;
        if (farm.style === 'disguised' && isAsleep(t, offset)) break;
        remaining--;
        if (farm.style === 'disguised' && rng.chance(fillerShare)) {
          const tr = tables.anyBackCatalog.sample(rng);
          const dur = c.durationMs[tr];
          events.push(b, tr, c.trackArtist[tr], t, PLAY, dur, dur, context);
          t += dur + 300 + rng.int(1500);
        } else {
          const tr = farm.targets[rng.int(nTargets)];
          const dur = c.durationMs[tr];
          const jitter = Math.max(-800, Math.min(2500, Math.round(400 * rng.normal())));
          const ms = Math.min(dur, o.bots.playMs + jitter);
          events.push(b, tr, c.trackArtist[tr], t, PLAY, ms, dur, context);
          t += ms + 300 + rng.int(1500);
        }
      }
      prevEnd = t;
    }
  }
}
