/**
 * The accounts of a world and their planted state: region, device, join time, multi-genre taste
 * at the first and last week (drifting users move toward a new genre), favourite artists (the
 * first three are the onboarding picks), favourite tracks they replay, and activity level.
 * Bot accounts get their slots here; the farm plan fills in their farm.
 */
import { Dictionary } from '../data/dictionary.js';
import type { SyntheticCatalog } from './catalog.js';
import { DAY, WEEK, dateToMs } from './clock.js';
import type { ResolvedOptions } from './options.js';
import { Rng } from './rng.js';
import { STREAM } from './streams.js';
import type { SamplingTables } from './tables.js';
import { DEVICE_SHARES, REGIONS } from './vocab.js';

export interface Population {
  readonly count: number;
  /** Genuine accounts are indices [0, genuine); bots follow. */
  readonly genuine: number;
  /** Genuine accounts present at week 0 are indices [0, initial). */
  readonly initial: number;
  readonly ids: Dictionary;
  readonly region: Uint8Array;
  /** Main device (index into DEVICES). */
  readonly device: Uint8Array;
  readonly joinWeek: Int16Array;
  /** Join instant; week-0 users have the start instant. */
  readonly joinMs: Float64Array;
  readonly heavy: Uint8Array;
  /** New users who only try the service once (a handful of interactions). */
  readonly trier: Uint8Array;
  /** Farm index of a bot account, -1 for genuine users. */
  readonly farm: Int16Array;
  /** Row-major users × genres taste mix at week 0 and at the last week (3 decimals; zeros for bots). */
  readonly mixStart: Float64Array;
  readonly mixEnd: Float64Array;
  /** Genre the user drifts toward, -1 when the taste is stable. */
  readonly driftGenre: Int16Array;
  /** CSR favourite artists per user; the first three are the onboarding artists. */
  readonly favArtistPtr: Int32Array;
  readonly favArtists: Int32Array;
  /** CSR favourite tracks (replayed often), most played first. */
  readonly favTrackPtr: Int32Array;
  readonly favTracks: Int32Array;
  /** Mean sessions per week and tracks per session. */
  readonly sessionsPerWeek: Float32Array;
  readonly tracksPerSession: Float32Array;
}

const TASTE_SIZE_CDF = [0.2, 0.55, 0.85, 1];
/** How far a drifting user's mix moves toward the new genre by the last week. */
export function driftAmount(drift: number): number {
  return 0.25 + 0.5 * drift;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function pickDevice(rng: Rng): number {
  let u = rng.float();
  for (let d = 0; d < DEVICE_SHARES.length - 1; d++) {
    if (u < DEVICE_SHARES[d]) return d;
    u -= DEVICE_SHARES[d];
  }
  return DEVICE_SHARES.length - 1;
}

function pickRegion(rng: Rng): number {
  let u = rng.float();
  for (let r = 0; r < REGIONS.length - 1; r++) {
    if (u < REGIONS[r].share) return r;
    u -= REGIONS[r].share;
  }
  return REGIONS.length - 1;
}

/** A genre drawn from a mix row (linear scan: there are few genres). */
export function sampleFromMix(mix: Float64Array, off: number, G: number, total: number, u: number): number {
  let x = u * total;
  for (let g = 0; g < G; g++) {
    x -= mix[off + g];
    if (x < 0) return g;
  }
  for (let g = G - 1; g >= 0; g--) if (mix[off + g] > 0) return g;
  return 0;
}

export function buildPopulation(o: ResolvedOptions, c: SyntheticCatalog, tables: SamplingTables): Population {
  const G = c.genres.length;
  const W = o.weeks;
  const startMs = dateToMs(o.start);
  const genuine = o.users;
  const initial = genuine - o.newUsersPerWeek * (W - 1);
  const bots = Math.round(o.bots.share * o.users);
  const count = genuine + bots;

  // External ids are a random permutation so an id says nothing about join order or bot status.
  const idPerm = new Rng(o.seed, STREAM.population, 0).permutation(count);
  const width = Math.max(6, String(count).length);
  const ids = Dictionary.from(Array.from(idPerm, (p) => `u${String(p + 1).padStart(width, '0')}`));
  const heavy = new Uint8Array(count);
  const heavyCount = Math.round(o.heavyShare * initial);
  const heavyPick = new Rng(o.seed, STREAM.population, 1).permutation(initial);
  for (let i = 0; i < heavyCount; i++) heavy[heavyPick[i]] = 1;

  const region = new Uint8Array(count);
  const device = new Uint8Array(count);
  const joinWeek = new Int16Array(count);
  const joinMs = new Float64Array(count).fill(startMs);
  const trier = new Uint8Array(count);
  const farm = new Int16Array(count).fill(-1);
  const mixStart = new Float64Array(count * G);
  const mixEnd = new Float64Array(count * G);
  const driftGenre = new Int16Array(count).fill(-1);
  const sessionsPerWeek = new Float32Array(count);
  const tracksPerSession = new Float32Array(count);
  const favArtistPtr = new Int32Array(count + 1);
  const favTrackPtr = new Int32Array(count + 1);
  const favArtistList: number[] = [];
  const favTrackList: number[] = [];
  const m = driftAmount(o.drift);
  const chosen = new Set<number>();

  for (let u = 0; u < genuine; u++) {
    const rng = new Rng(o.seed, STREAM.user, u);
    const r = pickRegion(rng);
    region[u] = r;
    device[u] = pickDevice(rng);
    if (u >= initial) {
      const w = 1 + Math.floor((u - initial) / Math.max(1, o.newUsersPerWeek));
      joinWeek[u] = w;
      joinMs[u] = startMs + w * WEEK + Math.floor(rng.float() * 0.85 * WEEK);
      trier[u] = rng.chance(0.3) ? 1 : 0;
    }

    // Sparse taste: 1–4 genres from the region's preference, exponential weights, floor 0.05.
    const regionTable = tables.regionGenre[r];
    const u1 = rng.float();
    let k = 1;
    while (k < TASTE_SIZE_CDF.length && u1 >= TASTE_SIZE_CDF[k - 1]) k++;
    chosen.clear();
    for (let tries = 0; chosen.size < k && tries < 40; tries++) chosen.add(regionTable.sample(rng));
    const genres = [...chosen];
    const raw = genres.map(() => rng.exponential(1));
    const sum = raw.reduce((s, x) => s + x, 0);
    const floored = raw.map((x) => Math.max(0.05, x / sum));
    const fsum = floored.reduce((s, x) => s + x, 0);
    const off = u * G;
    for (let i = 0; i < genres.length; i++) mixStart[off + genres[i]] = round3(floored[i] / fsum);
    if (rng.chance(o.drift)) {
      let target = -1;
      for (let tries = 0; tries < 40 && target < 0; tries++) {
        const g = regionTable.sample(rng);
        if (!chosen.has(g)) target = g;
      }
      if (target >= 0) driftGenre[u] = target;
    }
    for (let g = 0; g < G; g++) {
      mixEnd[off + g] = driftGenre[u] >= 0 ? round3((1 - m) * mixStart[off + g] + (g === driftGenre[u] ? m : 0)) : mixStart[off + g];
    }
    let mixTotal = 0;
    for (let g = 0; g < G; g++) mixTotal += mixStart[off + g];

    // Favourite artists: 3–6, drawn from the taste genres (the first three are the onboarding picks).
    const nFav = 3 + rng.int(4);
    chosen.clear();
    for (let tries = 0; chosen.size < nFav && tries < 60; tries++) {
      const table = tables.artistsOfGenre[sampleFromMix(mixStart, off, G, mixTotal, rng.float())];
      if (table) chosen.add(table.sample(rng));
    }
    // Niche tastes may offer fewer artists: onboarding still needs three, so borrow regional favourites.
    for (let tries = 0; chosen.size < 3 && tries < 60; tries++) {
      const table = tables.artistsOfGenre[regionTable.sample(rng)];
      if (table) chosen.add(table.sample(rng));
    }
    for (const a of chosen) favArtistList.push(a);
    favArtistPtr[u + 1] = favArtistList.length;

    // Favourite tracks, released before joining: half by favourite artists, half by taste.
    const nTracks = heavy[u] ? 25 + rng.int(20) : 4 + rng.int(17);
    const favs = [...chosen];
    const picked = new Set<number>();
    for (let tries = 0; picked.size < nTracks && tries < nTracks * 4; tries++) {
      let t = -1;
      if (favs.length > 0 && rng.chance(0.5)) {
        const a = favs[rng.int(favs.length)];
        const n = c.artistTrackPtr[a + 1] - c.artistTrackPtr[a];
        const x = rng.float();
        t = c.artistTracks[c.artistTrackPtr[a] + Math.floor(n * x * x)];
      } else {
        const g = sampleFromMix(mixStart, off, G, mixTotal, rng.float());
        const table = joinWeek[u] === 0 ? tables.backCatalog[g] : tables.weekly[(joinWeek[u] - 1) * G + g];
        if (table) t = table.sample(rng);
      }
      if (t >= 0 && c.releaseMs[t] <= joinMs[u]) picked.add(t);
    }
    for (const t of picked) favTrackList.push(t);
    favTrackPtr[u + 1] = favTrackList.length;

    if (heavy[u]) {
      sessionsPerWeek[u] = 18 + 10 * rng.float();
      tracksPerSession[u] = 30 + 15 * rng.float();
    } else {
      sessionsPerWeek[u] = Math.min(14, 3 * rng.logNormal(0, 0.7));
      tracksPerSession[u] = Math.min(30, Math.max(3, 10 * rng.logNormal(0, 0.35)));
    }
  }
  for (let u = genuine; u < count; u++) {
    favArtistPtr[u + 1] = favArtistList.length;
    favTrackPtr[u + 1] = favTrackList.length;
    joinMs[u] = startMs - 30 * DAY;
  }
  return {
    count,
    genuine,
    initial,
    ids,
    region,
    device,
    joinWeek,
    joinMs,
    heavy,
    trier,
    farm,
    mixStart,
    mixEnd,
    driftGenre,
    favArtistPtr,
    favArtists: Int32Array.from(favArtistList),
    favTrackPtr,
    favTracks: Int32Array.from(favTrackList),
    sessionsPerWeek,
    tracksPerSession,
  };
}
