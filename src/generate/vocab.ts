/** Fixed vocabularies of the synthetic world: genres with audio profiles, regions, devices, tags. */

/** Audio profile of a genre: centre of its tracks' features. */
export interface GenreProfile {
  name: string;
  danceability: number;
  energy: number;
  valence: number;
  acousticness: number;
  tempo: number;
  /** Typical track length in seconds. */
  seconds: number;
}

const p = (name: string, d: number, e: number, v: number, a: number, tempo: number, seconds: number): GenreProfile => ({
  name,
  danceability: d,
  energy: e,
  valence: v,
  acousticness: a,
  tempo,
  seconds,
});

/** Named genres, most listened first (global genre weight falls with rank). */
export const GENRE_PROFILES: readonly GenreProfile[] = [
  p('pop', 0.7, 0.68, 0.58, 0.18, 118, 205),
  p('rock', 0.5, 0.78, 0.48, 0.1, 126, 235),
  p('hip-hop', 0.78, 0.65, 0.5, 0.14, 95, 210),
  p('electronic', 0.7, 0.8, 0.45, 0.06, 126, 260),
  p('r&b', 0.68, 0.55, 0.5, 0.22, 100, 215),
  p('indie', 0.55, 0.58, 0.46, 0.32, 120, 220),
  p('latin', 0.78, 0.75, 0.72, 0.2, 105, 205),
  p('country', 0.58, 0.62, 0.6, 0.3, 118, 200),
  p('k-pop', 0.74, 0.8, 0.62, 0.1, 120, 200),
  p('metal', 0.38, 0.93, 0.3, 0.02, 140, 280),
  p('jazz', 0.52, 0.38, 0.52, 0.75, 110, 300),
  p('classical', 0.25, 0.2, 0.3, 0.95, 95, 420),
  p('techno', 0.76, 0.85, 0.3, 0.03, 132, 360),
  p('folk', 0.5, 0.35, 0.45, 0.82, 105, 225),
  p('soul', 0.6, 0.5, 0.55, 0.4, 105, 220),
  p('afrobeats', 0.82, 0.72, 0.72, 0.15, 108, 215),
  p('reggae', 0.8, 0.58, 0.7, 0.15, 90, 230),
  p('blues', 0.5, 0.45, 0.45, 0.6, 100, 255),
  p('punk', 0.4, 0.92, 0.45, 0.03, 165, 150),
  p('ambient', 0.2, 0.18, 0.25, 0.8, 80, 330),
];

export interface Region {
  id: string;
  /** Local time = UTC + utcOffsetHours (no daylight saving). */
  utcOffsetHours: number;
  /** Share of users living there. */
  share: number;
  /** Genre name → multiplier of the global genre weight. */
  boosts: Readonly<Record<string, number>>;
}

export const REGIONS: readonly Region[] = [
  { id: 'NA', utcOffsetHours: -5, share: 0.28, boosts: { country: 2.5, 'hip-hop': 1.5 } },
  { id: 'LATAM', utcOffsetHours: -3, share: 0.12, boosts: { latin: 4, reggae: 1.5 } },
  { id: 'EU', utcOffsetHours: 1, share: 0.3, boosts: { techno: 2.5, electronic: 1.8, indie: 1.4, metal: 1.3 } },
  { id: 'AF', utcOffsetHours: 1, share: 0.07, boosts: { afrobeats: 5, reggae: 1.5 } },
  { id: 'AS', utcOffsetHours: 8, share: 0.18, boosts: { 'k-pop': 4, classical: 1.2 } },
  { id: 'OC', utcOffsetHours: 10, share: 0.05, boosts: { indie: 1.5, rock: 1.3 } },
];

/** Devices; an event's context is `${device}:${region}`. */
export const DEVICES: readonly string[] = ['mobile', 'desktop', 'web', 'speaker'];
/** How often each device is a user's main one. */
export const DEVICE_SHARES: readonly number[] = [0.6, 0.25, 0.1, 0.05];

/** Track tags, derived from audio features and release date (plus a few random ones). */
export const TAGS: readonly string[] = [
  'dance',
  'chill',
  'acoustic',
  'upbeat',
  'sad',
  'workout',
  'focus',
  'party',
  'classic',
  'live',
  'remix',
  'new',
];

/** Words for made-up track titles. */
export const TITLE_ADJECTIVES: readonly string[] = [
  'Golden', 'Silent', 'Electric', 'Broken', 'Midnight', 'Wild', 'Blue', 'Neon', 'Paper', 'Velvet',
  'Lost', 'Hollow', 'Burning', 'Quiet', 'Endless', 'Crimson', 'Distant', 'Sweet', 'Cold', 'Little',
  'Summer', 'Northern', 'Silver', 'Restless', 'Secret', 'Faded', 'Bright', 'Lonely', 'Sacred', 'Heavy',
];
export const TITLE_NOUNS: readonly string[] = [
  'Hour', 'River', 'Heart', 'Sky', 'City', 'Dream', 'Road', 'Fire', 'Ocean', 'Light',
  'Garden', 'Echo', 'Shadow', 'Train', 'Window', 'Storm', 'Letter', 'Mirror', 'Island', 'Song',
  'Morning', 'Machine', 'Horizon', 'Season', 'Ghost', 'Signal', 'Harbor', 'Desert', 'Rain', 'Parade',
];

/** Event kind names written by corrupt rows of kind `unknown_event_kind` (none is a known kind in any case). */
export const UNKNOWN_KIND_NAMES: readonly string[] = ['scrobble', 'seek', 'pause', 'heartbeat', 'ad_impression', 'repeat_one'];
