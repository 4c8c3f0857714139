/**
 * The planted truth of a world, as written to truth.json: everything an evaluation needs to
 * recompute the planted skip model (taste mixes, favourites, heavy flags, the model constants;
 * track genres come from catalog.csv), plus who the bots are, what was injected and when users
 * joined. Mixes carry 3 decimals, exactly the values the generator used.
 */
import { EVENT_KINDS, type EventKind } from '../types.js';
import type { SyntheticCatalog } from './catalog.js';
import { DAY, WEEK } from './clock.js';
import type { CorruptKind } from './event-buffer.js';
import type { FarmPlan } from './farms.js';
import type { FarmStyle, ResolvedOptions } from './options.js';
import type { Population } from './population.js';
import type { SamplingTables } from './tables.js';
import { SKIP_MODEL } from './taste.js';
import { DEVICES, REGIONS } from './vocab.js';

export interface TruthTaste {
  /** Genre → weight at week 0 and at the last week (non-zero genres, heaviest first). */
  start: Record<string, number>;
  end: Record<string, number>;
  /** Genre the mix moves toward, or null when the taste is stable. */
  driftGenre: string | null;
}

export interface TruthUser {
  id: string;
  region: string;
  joinWeek: number;
  heavy: boolean;
  /** A new user who only tried the service once (a handful of events). */
  fewInteractions: boolean;
  taste: TruthTaste;
  favouriteArtists: string[];
  /** The three artists picked at sign-up (the first three favourites). */
  onboardingArtists: string[];
  /** Mean sessions per week of the simulation (2 decimals). */
  sessionsPerWeek: number;
}

export interface TruthFarm {
  id: string;
  style: FarmStyle;
  region: string;
  /** The context every stream of the farm carries. */
  context: string;
  startWeek: number;
  accounts: string[];
  targets: string[];
  playMs: number;
  /** Range of filler-play shares of a disguised farm's accounts; null for other styles. */
  fillerShare: [number, number] | null;
  /** UTC hour (±0.5 h per day) at which a shift farm's 10–14 h shift begins; null for other styles. */
  shiftStartHourUtc: number | null;
}

export interface Truth {
  version: 1;
  options: ResolvedOptions;
  period: { start: string; end: string; weeks: number; weekStarts: string[] };
  genres: string[];
  regions: { id: string; utcOffsetHours: number; share: number; genreWeights: Record<string, number> }[];
  /** events.csv context is `${device}:${region}`. */
  contextFormat: 'device:region';
  devices: string[];
  /** Inputs of skipProbability / expectedFullPlayRate (see src/generate/taste.ts for the formula). */
  skipModel: typeof SKIP_MODEL & { driftSchedule: 'linear'; formula: string };
  /** Genuine users, sorted by id. */
  users: TruthUser[];
  heavyListeners: string[];
  newUsers: { week: number; users: number }[];
  newReleases: { week: number; releaseDate: string; tracks: number }[];
  bots: { accounts: number; farms: TruthFarm[] };
  corrupt: Record<CorruptKind, number>;
  events: { total: number; genuine: number; bot: number; corrupt: number; byKind: Record<EventKind, number> };
}

export const SKIP_FORMULA =
  'mix_w = (1-λ)·start + λ·end, λ = w/(weeks-1); fit = (s·mix_w[g1] + (1-s)·mix_w[g2]) / max(mix_w) (mix_w[g1]/max for one genre), s = mainGenreShare; ' +
  'affinity = min(1, fit + favouriteArtistBonus if the artist is a favourite); ' +
  'P(skip) = (base + span·(1-affinity)^exponent) · (heavyFactor for heavy listeners); expected full-play rate = 1 - P(skip)';

function mixRecord(mix: Float64Array, off: number, genres: readonly string[]): Record<string, number> {
  const entries: [string, number][] = [];
  for (let g = 0; g < genres.length; g++) if (mix[off + g] > 0) entries.push([genres[g], mix[off + g]]);
  entries.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(entries);
}

export interface TruthInputs {
  o: ResolvedOptions;
  startMs: number;
  catalog: SyntheticCatalog;
  tables: SamplingTables;
  population: Population;
  farms: readonly FarmPlan[];
  corrupt: Record<CorruptKind, number>;
  kindCounts: Record<EventKind, number>;
  genuineEvents: number;
  botEvents: number;
}

export function buildTruth(x: TruthInputs): Truth {
  const { o, catalog: c, population: pop } = x;
  const G = c.genres.length;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const artistIds = c.artists.ids;
  const users: TruthUser[] = [];
  for (let u = 0; u < pop.genuine; u++) {
    const fav: string[] = [];
    for (let k = pop.favArtistPtr[u]; k < pop.favArtistPtr[u + 1]; k++) fav.push(artistIds[pop.favArtists[k]]);
    users.push({
      id: pop.ids.ids[u],
      region: REGIONS[pop.region[u]].id,
      joinWeek: pop.joinWeek[u],
      heavy: pop.heavy[u] === 1,
      fewInteractions: pop.trier[u] === 1,
      taste: {
        start: mixRecord(pop.mixStart, u * G, c.genres),
        end: mixRecord(pop.mixEnd, u * G, c.genres),
        driftGenre: pop.driftGenre[u] >= 0 ? c.genres[pop.driftGenre[u]] : null,
      },
      favouriteArtists: fav,
      onboardingArtists: fav.slice(0, 3),
      sessionsPerWeek: Math.round(pop.sessionsPerWeek[u] * 100) / 100,
    });
  }
  users.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const newUsers: { week: number; users: number }[] = [];
  const newReleases: { week: number; releaseDate: string; tracks: number }[] = [];
  for (let w = 0; w < o.weeks; w++) {
    let nu = 0;
    for (let u = 0; u < pop.genuine; u++) if (pop.joinWeek[u] === w && w > 0) nu++;
    if (w > 0) newUsers.push({ week: w, users: nu });
    let nr = 0;
    for (let t = 0; t < c.tracks.size; t++) if (c.releaseWeek[t] === w) nr++;
    newReleases.push({ week: w, releaseDate: iso(x.startMs + w * WEEK + 4 * DAY).slice(0, 10), tracks: nr });
  }

  const farms: TruthFarm[] = x.farms.map((f, i) => ({
    id: `farm-${i + 1}`,
    style: f.style,
    region: REGIONS[f.region].id,
    context: `${DEVICES[f.device]}:${REGIONS[f.region].id}`,
    startWeek: f.startWeek,
    accounts: Array.from(f.accounts, (a) => pop.ids.ids[a]).sort(),
    targets: Array.from(f.targets, (t) => c.tracks.ids[t]),
    playMs: o.bots.playMs,
    fillerShare: f.style === 'disguised' ? [o.bots.disguise[0], o.bots.disguise[1]] : null,
    shiftStartHourUtc: f.style === 'shifts' ? f.shiftStartHour : null,
  }));

  const corruptTotal = Object.values(x.corrupt).reduce((s, n) => s + n, 0);
  const total = x.genuineEvents + x.botEvents + corruptTotal;
  return {
    version: 1,
    options: o,
    period: {
      start: iso(x.startMs),
      end: iso(x.startMs + o.weeks * WEEK),
      weeks: o.weeks,
      weekStarts: Array.from({ length: o.weeks }, (_, w) => iso(x.startMs + w * WEEK)),
    },
    genres: [...c.genres],
    regions: REGIONS.map((r, ri) => {
      const weights: Record<string, number> = {};
      for (let g = 0; g < G; g++) weights[c.genres[g]] = x.tables.regionGenreWeight[ri * G + g];
      return { id: r.id, utcOffsetHours: r.utcOffsetHours, share: r.share, genreWeights: weights };
    }),
    contextFormat: 'device:region',
    devices: [...DEVICES],
    skipModel: { ...SKIP_MODEL, driftSchedule: 'linear', formula: SKIP_FORMULA },
    users,
    heavyListeners: users.filter((u) => u.heavy).map((u) => u.id),
    newUsers,
    newReleases,
    bots: { accounts: pop.count - pop.genuine, farms },
    corrupt: { ...x.corrupt },
    events: {
      total,
      genuine: x.genuineEvents,
      bot: x.botEvents,
      corrupt: corruptTotal,
      byKind: { ...x.kindCounts },
    },
  };
}

/** Event count per kind name over the given kind codes. */
export function countKinds(kind: Uint8Array, n: number): Record<EventKind, number> {
  const counts = new Array<number>(EVENT_KINDS.length).fill(0);
  for (let i = 0; i < n; i++) counts[kind[i]]++;
  return Object.fromEntries(EVENT_KINDS.map((k, i) => [k, counts[i]])) as Record<EventKind, number>;
}
