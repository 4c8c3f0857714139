/**
 * Genuine listening: sessions at human hours (no track starts while the listener sleeps), tracks
 * chosen by taste × popularity with replays of favourites, favourite artists and some
 * exploration, and for each served track a skip (with the planted skip probability) or a full or
 * partial play, sometimes followed by a like, dislike, playlist add or share.
 */
import { EVENT_CODE } from '../types.js';
import { HOUR, MINUTE, WEEK, isAsleep, sampleSessionStart } from './clock.js';
import { sampleFromMix } from './population.js';
import { Rng } from './rng.js';
import type { SimContext } from './sim-context.js';
import { STREAM } from './streams.js';
import { affinityFromMix, isFavouriteArtist, mixAt, skipFromAffinity } from './taste.js';
import { DEVICES, REGIONS } from './vocab.js';

const PLAY = EVENT_CODE.play;
const SKIP = EVENT_CODE.skip;
const LIKE = EVENT_CODE.like;
const DISLIKE = EVENT_CODE.dislike;
const PLAYLIST_ADD = EVENT_CODE.playlist_add;
const SHARE = EVENT_CODE.share;
const MAX_SESSIONS_PER_WEEK = 60;

/** Simulates every genuine user; each draws from its own stream, so users are independent. */
export function simulateListeners(ctx: SimContext): void {
  const G = ctx.catalog.genres.length;
  const mix = new Float64Array(G);
  const starts = new Float64Array(MAX_SESSIONS_PER_WEEK);
  for (let u = 0; u < ctx.population.genuine; u++) simulateUser(ctx, u, mix, starts);
}

function simulateUser(ctx: SimContext, u: number, mix: Float64Array, starts: Float64Array): void {
  const { o, catalog: c, population: pop, tables, startMs, endMs, events } = ctx;
  const rng = new Rng(o.seed, STREAM.listening, u);
  const G = c.genres.length;
  const W = o.weeks;
  const R = REGIONS.length;
  const region = pop.region[u];
  const offset = REGIONS[region].utcOffsetHours;
  const heavy = pop.heavy[u] === 1;
  const trier = pop.trier[u] === 1;
  const pRepeat = heavy ? 0.15 : 0.3;
  const pFavArtist = 0.12;
  const pExplore = heavy ? 0.12 : 0.08;
  const favT0 = pop.favTrackPtr[u];
  const favTn = pop.favTrackPtr[u + 1] - favT0;
  const favA0 = pop.favArtistPtr[u];
  const favAn = pop.favArtistPtr[u + 1] - favA0;
  const joinMs = pop.joinMs[u];
  const joinWeek = pop.joinWeek[u];

  let prevEnd = joinMs;
  let curWeek = -1;
  let maxMix = 0;
  let mixTotal = 0;

  for (let w = joinWeek; w < W; w++) {
    const weekStart = startMs + w * WEEK;
    let n: number;
    if (trier) {
      n = w === joinWeek ? 1 : 0;
      if (n) starts[0] = joinMs + Math.floor(rng.float() * 2 * HOUR);
    } else {
      const exposure = w === joinWeek && joinWeek > 0 ? (weekStart + WEEK - joinMs) / WEEK : 1;
      n = Math.min(MAX_SESSIONS_PER_WEEK, rng.poisson(pop.sessionsPerWeek[u] * exposure));
      for (let i = 0; i < n; i++) starts[i] = sampleSessionStart(rng, weekStart, offset);
      starts.subarray(0, n).sort();
    }
    for (let i = 0; i < n; i++) {
      let t = starts[i];
      if (t < joinMs) continue;
      const earliest = prevEnd + Math.floor((2 + 20 * rng.float()) * MINUTE);
      if (t < earliest) t = earliest;
      if (trier) while (isAsleep(t, offset)) t += HOUR;
      if (t >= endMs) break;
      if (isAsleep(t, offset)) continue;
      const nTracks = trier ? 2 + rng.int(5) : Math.max(1, Math.round(pop.tracksPerSession[u] * rng.logNormal(0, 0.4)));
      const dev = rng.chance(0.85) ? pop.device[u] : rng.int(DEVICES.length);
      const context = dev * R + region;
      for (let j = 0; j < nTracks; j++) {
        if (t >= endMs || (j > 0 && isAsleep(t, offset))) break;
        let wk = Math.floor((t - startMs) / WEEK);
        if (wk < 0) wk = 0;
        else if (wk > W - 1) wk = W - 1;
        if (wk !== curWeek) {
          curWeek = wk;
          maxMix = mixAt(pop.mixStart, pop.mixEnd, u, G, wk, W, mix);
          mixTotal = 0;
          for (let g = 0; g < G; g++) mixTotal += mix[g];
        }

        // Choose the track: a favourite replayed, a favourite artist, or taste (or exploration) × popularity.
        let tr = -1;
        const r = rng.float();
        if (r < pRepeat && favTn > 0) {
          const x = rng.float();
          tr = pop.favTracks[favT0 + Math.floor(favTn * x * x)];
        } else if (r < pRepeat + pFavArtist && favAn > 0) {
          const a = pop.favArtists[favA0 + rng.int(favAn)];
          const a0 = c.artistTrackPtr[a];
          const x = rng.float();
          const cand = c.artistTracks[a0 + Math.floor((c.artistTrackPtr[a + 1] - a0) * x * x)];
          if (c.releaseMs[cand] <= t) tr = cand;
        }
        if (tr < 0) {
          const g = r > 1 - pExplore ? tables.regionGenre[region].sample(rng) : sampleFromMix(mix, 0, G, mixTotal, rng.float());
          const table = tables.weekly[wk * G + g] ?? tables.backCatalog[g];
          if (table) {
            for (let tries = 0; tries < 6 && tr < 0; tries++) {
              const cand = table.sample(rng);
              if (c.releaseMs[cand] <= t) tr = cand;
            }
          }
          if (tr < 0) tr = tables.anyBackCatalog.sample(rng);
        }

        const artist = c.trackArtist[tr];
        const dur = c.durationMs[tr];
        const fav = favAn > 0 && isFavouriteArtist(pop.favArtistPtr, pop.favArtists, u, artist);
        const affinity = affinityFromMix(mix, maxMix, c.trackGenre[tr], c.trackGenre2[tr], fav);
        if (rng.float() < skipFromAffinity(affinity, heavy)) {
          const ms = Math.floor(1000 + rng.float() * Math.min(29000, dur * 0.5 - 1000));
          events.push(u, tr, artist, t, SKIP, ms, dur, context);
          if (rng.chance(0.03 + 0.1 * (1 - affinity))) react(ctx, u, tr, t + ms, DISLIKE, context);
          t += ms + 300 + rng.int(2200);
        } else {
          const partial = rng.chance(heavy ? 0.04 : 0.08) || (j === nTracks - 1 && rng.chance(0.3));
          const ms = partial ? Math.floor(dur * rng.range(0.5, 0.95)) : dur;
          events.push(u, tr, artist, t, PLAY, ms, dur, context);
          // Reactions happen while the track plays; none is logged after the simulated period.
          if (rng.chance(0.01 + 0.05 * affinity * affinity)) react(ctx, u, tr, t + Math.floor(ms * rng.range(0.2, 0.9)), LIKE, context);
          if (rng.chance(0.005 + 0.02 * affinity)) react(ctx, u, tr, t + Math.floor(ms * rng.range(0.3, 0.95)), PLAYLIST_ADD, context);
          if (rng.chance(0.003)) react(ctx, u, tr, t + Math.floor(ms * rng.range(0.1, 0.9)), SHARE, context);
          t += ms + 300 + rng.int(2200);
        }
      }
      prevEnd = t;
    }
  }
}

/** Appends a reaction (no ms_played) unless it falls after the simulated period. */
function react(ctx: SimContext, u: number, tr: number, ts: number, kind: number, context: number): void {
  if (ts >= ctx.endMs) return;
  const c = ctx.catalog;
  ctx.events.push(u, tr, c.trackArtist[tr], ts, kind, NaN, c.durationMs[tr], context);
}
