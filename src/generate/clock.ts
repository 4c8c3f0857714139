/** Simulated time: week grid, local hours of a region, the human daily rhythm. */
import type { Rng } from './rng.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

/** Local hours in [SLEEP_FROM, SLEEP_TO) are asleep: no human starts a track then. */
export const SLEEP_FROM = 2;
export const SLEEP_TO = 7;

/** Relative chance that a listening session starts in each local hour (0..23). */
const DIURNAL = [
  0.5, 0.2, 0, 0, 0, 0, 0, 1.0, 1.4, 1.0, 0.8, 0.9, 1.2, 1.0, 0.9, 0.9, 1.1, 1.5, 1.8, 2.0, 2.0, 1.8, 1.4, 0.9,
];
const DIURNAL_CDF = (() => {
  const c = new Float64Array(24);
  let s = 0;
  for (let h = 0; h < 24; h++) c[h] = s += DIURNAL[h];
  for (let h = 0; h < 24; h++) c[h] /= s;
  return c;
})();
/** Relative chance of each weekday (Monday first). */
const WEEKDAY_CDF = (() => {
  const w = [1, 1, 1, 1, 1.1, 1.3, 1.2];
  const c = new Float64Array(7);
  let s = 0;
  for (let d = 0; d < 7; d++) c[d] = s += w[d];
  for (let d = 0; d < 7; d++) c[d] /= s;
  return c;
})();

function pick(cdf: Float64Array, u: number): number {
  let i = 0;
  while (i < cdf.length - 1 && u >= cdf[i]) i++;
  return i;
}

/** Local hour of day (fractional) of an instant in a region with the given UTC offset. */
export function localHour(ts: number, utcOffsetHours: number): number {
  const local = ts + utcOffsetHours * HOUR;
  return (((local % DAY) + DAY) % DAY) / HOUR;
}

/** True when a person in that time zone is asleep at ts. */
export function isAsleep(ts: number, utcOffsetHours: number): boolean {
  const h = localHour(ts, utcOffsetHours);
  return h >= SLEEP_FROM && h < SLEEP_TO;
}

/**
 * A session start in the week beginning at weekStart (UTC), drawn from the weekday and local-hour
 * rhythm of a person in that time zone.
 */
export function sampleSessionStart(rng: Rng, weekStart: number, utcOffsetHours: number): number {
  const day = pick(WEEKDAY_CDF, rng.float());
  const hour = pick(DIURNAL_CDF, rng.float());
  const within = rng.float() * HOUR;
  return weekStart + day * DAY + (hour - utcOffsetHours) * HOUR + Math.floor(within);
}

/** Epoch ms of 00:00 UTC of an ISO date 'YYYY-MM-DD'. */
export function dateToMs(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`);
}

/** An instant in the UTC day starting at dayStart, at a local hour drawn from the human rhythm. */
export function sampleTimeOfDay(rng: Rng, dayStart: number, utcOffsetHours: number): number {
  const hour = pick(DIURNAL_CDF, rng.float());
  return dayStart + (hour - utcOffsetHours) * HOUR + Math.floor(rng.float() * HOUR);
}
