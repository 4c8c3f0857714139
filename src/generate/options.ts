/** Options of the synthetic world generator, their defaults and validation. */

/** How a bot farm spreads its streams over the day. */
export type FarmStyle = 'around_the_clock' | 'shifts' | 'disguised';
export const FARM_STYLES: readonly FarmStyle[] = ['around_the_clock', 'shifts', 'disguised'];

export interface BotOptions {
  /** Bot accounts as a share of `users`, added on top of the genuine users (0..1, default 0). */
  share?: number;
  /** Number of farms the bot accounts are split into (default: one per 25 bots, at least 3 so every style appears). */
  farms?: number;
  /** Styles assigned to farms in turn (default all three: around_the_clock, shifts, disguised). */
  styles?: FarmStyle[];
  /** Target tracks per farm, drawn from the less popular half of the catalog (default 4). */
  targetsPerFarm?: number;
  /** Mean streams per bot account and active day (default 120). */
  playsPerDay?: number;
  /** ms_played of a bot stream, centred on 31 s (default 31000). */
  playMs?: number;
  /** Share range of filler plays (normal plays of popular tracks) of disguised farms (default [0.3, 0.6]). */
  disguise?: [number, number];
}

export interface GenerateOptions {
  /** Genuine user accounts in total, including those joining after week 0 (default 5000). */
  users?: number;
  /** Tracks in the catalog, including weekly new releases (default 20000). */
  tracks?: number;
  /** Simulated weeks (default 8). */
  weeks?: number;
  /** Seed: same options and seed ⇒ byte-identical output (default 42). */
  seed?: number;
  /** Number of genres (default 20; the first 20 have real names and audio profiles). */
  genres?: number;
  /** Number of artists (default ceil(tracks / 8)); at most `tracks`. */
  artists?: number;
  /** First day of week 0, an ISO date; weeks start at 00:00 UTC of it (default '2026-01-05', a Monday). */
  start?: string;
  /** Strength of taste drift, 0..1: the share of users whose mix moves toward a new genre, and how far (default 0.3). */
  drift?: number;
  /** Bot farms (default: none). */
  bots?: BotOptions;
  /** Share of the week-0 genuine users who are heavy listeners (default 0.01). */
  heavyShare?: number;
  /** Corrupt rows injected into events.csv, spread evenly over all corruption kinds; capped at the number of clean plays and skips (default 0). */
  corruptRows?: number;
  /** Genuine users joining in each of weeks 1..weeks-1 (default round(users × 0.03)). */
  newUsersPerWeek?: number;
  /** Tracks released in each simulated week, on its Friday (default round(tracks × 0.01)). */
  newReleasesPerWeek?: number;
}

export interface ResolvedBotOptions {
  share: number;
  farms: number;
  styles: FarmStyle[];
  targetsPerFarm: number;
  playsPerDay: number;
  playMs: number;
  disguise: [number, number];
}

export interface ResolvedOptions {
  users: number;
  tracks: number;
  weeks: number;
  seed: number;
  genres: number;
  artists: number;
  start: string;
  drift: number;
  bots: ResolvedBotOptions;
  heavyShare: number;
  corruptRows: number;
  newUsersPerWeek: number;
  newReleasesPerWeek: number;
}

function int(name: string, v: unknown, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`generateWorld: options.${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

function unit(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
    throw new RangeError(`generateWorld: options.${name} must be a number in [0, 1], got ${String(v)}`);
  }
  return v;
}

/** Fill in defaults and check every option; throws a RangeError naming the bad option. */
export function resolveOptions(o: GenerateOptions = {}): ResolvedOptions {
  const users = int('users', o.users, 5000, 1, 10_000_000);
  const tracks = int('tracks', o.tracks, 20000, 1, 10_000_000);
  const weeks = int('weeks', o.weeks, 8, 1, 520);
  const seed = int('seed', o.seed, 42, 0);
  const genres = int('genres', o.genres, 20, 1, 1000);
  const artists = int('artists', o.artists, Math.max(1, Math.ceil(tracks / 8)), 1, tracks);
  const start = o.start ?? '2026-01-05';
  if (typeof start !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(`${start}T00:00:00Z`))) {
    throw new RangeError(`generateWorld: options.start must be an ISO date like '2026-01-05', got ${String(start)}`);
  }
  const drift = unit('drift', o.drift, 0.3);
  const heavyShare = unit('heavyShare', o.heavyShare, 0.01);
  const corruptRows = int('corruptRows', o.corruptRows, 0, 0);
  const newUsersPerWeek = int('newUsersPerWeek', o.newUsersPerWeek, Math.round(users * 0.03), 0);
  if (newUsersPerWeek * (weeks - 1) >= users) {
    throw new RangeError(
      `generateWorld: options.newUsersPerWeek × (weeks − 1) = ${newUsersPerWeek * (weeks - 1)} must be below users (${users})`,
    );
  }
  const newReleasesPerWeek = int('newReleasesPerWeek', o.newReleasesPerWeek, Math.round(tracks * 0.01), 0);
  if (newReleasesPerWeek * weeks >= tracks) {
    throw new RangeError(
      `generateWorld: options.newReleasesPerWeek × weeks = ${newReleasesPerWeek * weeks} must be below tracks (${tracks})`,
    );
  }
  const b = o.bots ?? {};
  const share = unit('bots.share', b.share, 0);
  const botCount = Math.round(share * users);
  const farms = int('bots.farms', b.farms, Math.max(1, Math.min(3, botCount), Math.ceil(botCount / 25)), 1);
  // Farms asked for must each get an account: fewer would be made without a word.
  if (b.farms !== undefined && farms > botCount) {
    throw new RangeError(`generateWorld: options.bots.farms is ${farms}, more than the ${botCount} bot accounts (bots.share ${share} × ${users} users); a farm needs at least one`);
  }
  const styles = b.styles ?? [...FARM_STYLES];
  if (!Array.isArray(styles) || styles.length === 0 || styles.some((s) => !FARM_STYLES.includes(s))) {
    throw new RangeError(`generateWorld: options.bots.styles must be a non-empty list of ${FARM_STYLES.join(', ')}`);
  }
  const targetsPerFarm = int('bots.targetsPerFarm', b.targetsPerFarm, 4, 1, 1000);
  const playsPerDay = int('bots.playsPerDay', b.playsPerDay, 120, 1, 2500);
  const playMs = int('bots.playMs', b.playMs, 31000, 1000, 600000);
  const disguise = b.disguise ?? [0.3, 0.6];
  if (!Array.isArray(disguise) || disguise.length !== 2 || !(disguise[0] >= 0 && disguise[0] <= disguise[1] && disguise[1] < 1)) {
    throw new RangeError(`generateWorld: options.bots.disguise must be [lo, hi] with 0 ≤ lo ≤ hi < 1, got ${JSON.stringify(disguise)}`);
  }
  return {
    users,
    tracks,
    weeks,
    seed,
    genres,
    artists,
    start,
    drift,
    bots: { share, farms, styles: [...styles], targetsPerFarm, playsPerDay, playMs, disguise: [disguise[0], disguise[1]] },
    heavyShare,
    corruptRows,
    newUsersPerWeek,
    newReleasesPerWeek,
  };
}
