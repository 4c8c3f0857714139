/**
 * Onboarding picks for users the model has not seen: each pick is a track id or an artist id
 * (an artist expands to that artist's most popular tracks); users with picks are folded in,
 * users with none get popularity.
 */
import type { Model } from '../model/model.js';
import type { Recommendation } from '../types.js';
import { coldStartContext, coldStartRecommend, type ColdStartContext } from './cold-start.js';
import type { Catalog } from '../data/catalog.js';

export interface OnboardingResult {
  userId: string;
  items: Recommendation[];
  strategy: 'fold-in' | 'popularity';
  /** The region whose popularity served a user without usable picks (absent: global popularity). */
  region?: string;
}

/**
 * Cold-start lookups, with artist → tracks taken from the catalog or the model's content model;
 * `userRegions` (training users' regions) adds popularity per region.
 */
export function onboardingContext(model: Model, catalog?: Catalog, userRegions?: ReadonlyMap<string, string>): ColdStartContext {
  const ctx = coldStartContext(model, { ...(catalog ? { catalog } : {}), ...(userRegions ? { userRegions } : {}) });
  const content = model.data.content;
  if (!catalog && content) {
    const byArtist = new Map<string, number[]>();
    const tracks = content.tracks.ids;
    for (let t = 0; t < tracks.length; t++) {
      const a = content.data.trackArtist[t];
      const item = model.data.items.get(tracks[t]);
      if (a < 0 || item === undefined) continue;
      const id = content.data.artists.ids[a];
      let list = byArtist.get(id);
      if (!list) byArtist.set(id, (list = []));
      list.push(item);
    }
    for (const [id, list] of byArtist) ctx.artistTracks.set(id, Int32Array.from(list.sort((x, y) => ctx.popularity[y] - ctx.popularity[x] || x - y)));
  }
  return ctx;
}

/**
 * Recommendations for each onboarding user, in first-seen order. A user without usable picks gets
 * the popularity of their region (from `regions`) when the context has it, else global popularity.
 */
export async function recommendOnboarding(ctx: ColdStartContext, users: readonly string[], picks: readonly string[], n: number, regions?: ReadonlyMap<string, string>): Promise<OnboardingResult[]> {
  const byUser = new Map<string, { tracks: string[]; artists: string[] }>();
  for (let i = 0; i < users.length; i++) {
    let entry = byUser.get(users[i]);
    if (!entry) byUser.set(users[i], (entry = { tracks: [], artists: [] }));
    if (ctx.model.data.items.get(picks[i]) !== undefined) entry.tracks.push(picks[i]);
    else if (ctx.artistTracks.has(picks[i])) entry.artists.push(picks[i]);
  }
  const out: OnboardingResult[] = [];
  for (const [userId, req] of byUser) {
    const region = regions?.get(userId);
    const r = await coldStartRecommend(ctx, region !== undefined ? { ...req, region } : req, { n });
    const regional = r.strategy === 'popularity' && region !== undefined && ctx.regional.has(region);
    out.push({ userId, items: r.items, strategy: r.strategy, ...(regional ? { region } : {}) });
  }
  return out;
}
