/**
 * Test helper: a seeded listening population — varied human listeners, one very heavy but human
 * listener, and bot accounts of four farm styles — so robust statistics have a real population.
 */
import { LogBuilder } from './make-log.js';
import { mulberry32 } from '../../src/util/random.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const POPULATION_START = Date.UTC(2024, 0, 1);
export const POPULATION_DAYS = 28;
export const POPULATION_AS_OF = POPULATION_START + POPULATION_DAYS * DAY;

/** mulberry32: small, fast, seeded. */
export const rng = (seed: number): (() => number) => mulberry32(seed >>> 0);

const CATALOG = 3000;
/** Tail tracks the farms push. */
export const TARGETS = Array.from({ length: 9 }, (_, i) => `track_${2990 + i}`);

interface Catalog {
  duration: Float64Array;
  zipf: (r: number) => number;
}

function catalog(rand: () => number): Catalog {
  const duration = new Float64Array(CATALOG);
  for (let i = 0; i < CATALOG; i++) duration[i] = 150_000 + rand() * 180_000;
  // Zipf(1) by inverse CDF over a precomputed cumulative table.
  const cdf = new Float64Array(CATALOG);
  let s = 0;
  for (let i = 0; i < CATALOG; i++) cdf[i] = s += 1 / (i + 1);
  for (let i = 0; i < CATALOG; i++) cdf[i] /= s;
  const zipf = (r: number): number => {
    let lo = 0;
    let hi = CATALOG - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { duration, zipf };
}

function addHuman(b: LogBuilder, id: string, rand: () => number, cat: Catalog, heavy: boolean): void {
  const tz = Math.floor(rand() * 24);
  const pDay = heavy ? 1 : 0.15 + rand() * 0.8;
  const pFull = heavy ? 0.92 : 0.45 + rand() * 0.45;
  const sessionsPerDay = heavy ? 1 : 1 + Math.floor(rand() * 3);
  const meanSession = heavy ? 0 : 3 + rand() * 15;
  const favourites = Int32Array.from({ length: heavy ? 500 : 20 + Math.floor(rand() * 80) }, () => cat.zipf(rand()));
  const pFav = heavy ? 0.3 : 0.3 + rand() * 0.5;
  for (let d = 0; d < POPULATION_DAYS; d++) {
    if (rand() > pDay) continue;
    for (let s = 0; s < sessionsPerDay; s++) {
      // Waking hours 07:00–23:00 local; the heavy listener plays from 08:00 to 22:00 every day.
      const localHour = heavy ? 8 : 7 + rand() * 15;
      let t = POPULATION_START + d * DAY + ((localHour + tz) % 24) * HOUR + rand() * 10 * 60_000;
      const end = heavy ? t + 14 * HOUR : Number.POSITIVE_INFINITY;
      let left = heavy ? Number.POSITIVE_INFINITY : Math.max(1, Math.round(-Math.log(1 - rand()) * meanSession));
      while (left-- > 0 && t < end) {
        const track = rand() < pFav ? favourites[Math.floor(rand() * favourites.length)] : cat.zipf(rand());
        const dur = cat.duration[track];
        const full = rand() < pFull;
        const ms = full ? dur : 3000 + rand() * (dur - 3000);
        b.add(id, `track_${track}`, t, full ? 'play' : 'skip', ms, dur);
        if (rand() < 0.02) b.add(id, `track_${track}`, t + 1000, 'like');
        t += ms + 500 + rand() * 4000;
      }
    }
  }
}

/**
 * A farm account hiding in human rhythm: a few sessions a day at waking hours (never 02:00–07:00
 * UTC), half of the plays full-length filler of popular tracks, the rest ~31 s target streams.
 */
function addDisguisedAccount(b: LogBuilder, id: string, rand: () => number, cat: Catalog, targets: readonly string[], days: number): void {
  for (let d = POPULATION_DAYS - days; d < POPULATION_DAYS; d++) {
    for (let s = 0; s < 4; s++) {
      let t = POPULATION_START + d * DAY + (8 + s * 4 + rand() * 2) * HOUR;
      for (let j = 0; j < 20; j++) {
        if (rand() < 0.5) {
          const track = cat.zipf(rand());
          const dur = cat.duration[track];
          b.add(id, `track_${track}`, t, 'play', dur, dur);
          t += dur + 300 + rand() * 1500;
        } else {
          const ms = 30_500 + rand() * 2000;
          b.add(id, targets[Math.floor(rand() * targets.length)], t, 'play', ms, 200_000);
          t += ms + 300 + rand() * 1500;
        }
      }
    }
  }
}

/** Plays of ~31 s, back to back, within [fromHour, toHour) UTC of each day. */
function addFarmAccount(
  b: LogBuilder,
  id: string,
  rand: () => number,
  cat: Catalog,
  targets: readonly string[],
  fromHour: number,
  toHour: number,
  fillerShare: number,
  days: number,
): void {
  for (let d = POPULATION_DAYS - days; d < POPULATION_DAYS; d++) {
    let t = POPULATION_START + d * DAY + fromHour * HOUR + rand() * 60_000;
    const end = POPULATION_START + d * DAY + toHour * HOUR;
    while (t < end) {
      if (rand() < fillerShare) {
        // Filler: a random catalog track played in full, to dilute the target share.
        const track = cat.zipf(rand());
        const dur = cat.duration[track];
        b.add(id, `track_${track}`, t, 'play', dur, dur);
        t += dur + 500 + rand() * 1500;
      } else {
        const ms = 30_500 + rand() * 2000;
        b.add(id, targets[Math.floor(rand() * targets.length)], t, 'play', ms, 200_000);
        t += ms + 500 + rand() * 1500;
      }
    }
  }
}

export interface Population {
  builder: LogBuilder;
  humans: string[];
  heavy: string;
  bots: { roundTheClock: string; shift: string; filler: string; disguised: string };
}

/** 300 varied humans, one heavy human and four bots; the caller may add more rows to the builder. */
export function population(seed = 7, humans = 300): Population {
  const rand = rng(seed);
  const cat = catalog(rand);
  const b = new LogBuilder();
  const ids: string[] = [];
  for (let i = 0; i < humans; i++) {
    const id = `user_${i}`;
    ids.push(id);
    addHuman(b, id, rand, cat, false);
  }
  addHuman(b, 'heavy_listener', rand, cat, true);
  addFarmAccount(b, 'bot_clock', rand, cat, TARGETS.slice(0, 3), 0, 24, 0, 7);
  addFarmAccount(b, 'bot_shift', rand, cat, TARGETS.slice(0, 2), 8, 20, 0, 7);
  addFarmAccount(b, 'bot_filler', rand, cat, TARGETS.slice(3, 5), 0, 24, 0.6, 7);
  addDisguisedAccount(b, 'bot_disguised', rand, cat, TARGETS.slice(5, 9), 14);
  return {
    builder: b,
    humans: ids,
    heavy: 'heavy_listener',
    bots: { roundTheClock: 'bot_clock', shift: 'bot_shift', filler: 'bot_filler', disguised: 'bot_disguised' },
  };
}
