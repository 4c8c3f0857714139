/**
 * Account trust from behaviour features: one-sided robust z-scores against the population, grouped
 * into independent families, combined so that only joint anomalies make an account look non-human.
 */
import type { SignalsConfig } from './config.js';
import { ACCOUNT_FEATURES, type AccountFeature, type AccountFeatures } from './anomaly.js';
import { medianInPlace } from '../util/median.js';

export const FEATURE_FAMILIES = ['volume', 'mechanical', 'concentration', 'rhythm'] as const;
export type FeatureFamily = (typeof FEATURE_FAMILIES)[number];

interface FeatureSpec {
  family: FeatureFamily;
  /** +1: high values are anomalous; −1: low values are. */
  direction: 1 | -1;
}

const SPECS: Readonly<Record<AccountFeature, FeatureSpec>> = {
  peakPlaysPerHour: { family: 'volume', direction: 1 },
  playsPerActiveDay: { family: 'volume', direction: 1 },
  activeHoursPerDay: { family: 'volume', direction: 1 },
  shortPlayShare: { family: 'mechanical', direction: 1 },
  gapRegularity: { family: 'mechanical', direction: -1 },
  topTrackShare: { family: 'concentration', direction: 1 },
  unfinishedLoopShare: { family: 'concentration', direction: 1 },
  distinctTrackRatio: { family: 'concentration', direction: -1 },
  hourEntropy: { family: 'rhythm', direction: 1 },
  quietHours: { family: 'rhythm', direction: -1 },
};

/** Scale of the MAD that makes it a standard deviation under normality. */
const MAD_TO_SD = 1.4826;

export interface FeatureStats {
  median: number;
  /** max(1.4826·MAD, floor) */
  scale: number;
}

export interface TrustResult {
  /** Trust per account in [0, 1]. */
  trust: Float32Array;
  /** Human-readable reasons for every account with trust < 1, by account (a map: few accounts have any, and it crosses threads). */
  reasons: Map<number, string[]>;
  /** Population statistics of each feature (over judged accounts). */
  stats: Record<AccountFeature, FeatureStats>;
  /** Accounts with enough playbacks to be judged. */
  judged: number;
}

function robustStats(values: Float64Array, eligible: Uint8Array, floor: number): FeatureStats {
  let count = 0;
  for (let u = 0; u < values.length; u++) if (eligible[u] && Number.isFinite(values[u])) count++;
  const xs = new Float64Array(count);
  let k = 0;
  for (let u = 0; u < values.length; u++) if (eligible[u] && Number.isFinite(values[u])) xs[k++] = values[u];
  const med = medianInPlace(xs);
  for (let i = 0; i < count; i++) xs[i] = Math.abs(xs[i] - med);
  const mad = medianInPlace(xs);
  const scale = Math.max(Number.isFinite(mad) ? MAD_TO_SD * mad : 0, floor);
  return { median: med, scale };
}

/** Compute trust and reasons for every account. */
export function accountTrust(features: AccountFeatures, config: SignalsConfig): TrustResult {
  const a = config.anomaly;
  const users = features.plays.length;
  const trust = new Float32Array(users).fill(1);
  const reasons = new Map<number, string[]>();
  const eligible = new Uint8Array(users);
  let judged = 0;
  for (let u = 0; u < users; u++) {
    if (features.plays[u] >= a.minPlays) {
      eligible[u] = 1;
      judged++;
    }
  }
  const stats = Object.fromEntries(
    ACCOUNT_FEATURES.map((f) => [f, robustStats(features.values[f], eligible, a.madFloor[f])]),
  ) as Record<AccountFeature, FeatureStats>;
  if (!a.enabled || judged === 0) return { trust, reasons, stats, judged };

  const ramp = Math.max(a.zStrong - a.zMild, 1e-9);
  const family = new Float64Array(FEATURE_FAMILIES.length);
  const z = new Float64Array(ACCOUNT_FEATURES.length);
  for (let u = 0; u < users; u++) {
    if (!eligible[u]) continue;
    family.fill(0);
    for (let f = 0; f < ACCOUNT_FEATURES.length; f++) {
      const name = ACCOUNT_FEATURES[f];
      const spec = SPECS[name];
      const s = stats[name];
      const x = features.values[name][u];
      z[f] = Number.isFinite(x) && Number.isFinite(s.median) ? (spec.direction * (x - s.median)) / s.scale : 0;
      const strength = Math.min(1, Math.max(0, (z[f] - a.zMild) / ramp));
      const fi = FEATURE_FAMILIES.indexOf(spec.family);
      if (strength > family[fi]) family[fi] = strength;
    }
    family.sort().reverse();
    let anomaly = 0;
    for (let r = 0; r < family.length; r++) anomaly += a.rankWeights[r] * family[r];
    const t = 1 - Math.min(1, anomaly);
    if (t >= 1) continue;
    trust[u] = t;
    const list: { z: number; text: string }[] = [];
    for (let f = 0; f < ACCOUNT_FEATURES.length; f++) {
      if (z[f] > a.zMild) {
        const name = ACCOUNT_FEATURES[f];
        list.push({ z: z[f], text: describe(name, features.values[name][u], stats[name].median, config) });
      }
    }
    list.sort((p, q) => q.z - p.z);
    reasons.set(u, list.map((r) => r.text));
  }
  return { trust, reasons, stats, judged };
}

/** A percentage that stays readable for small shares. */
export function percent(x: number): string {
  const p = x * 100;
  if (p > 0 && p < 0.1) return `${p.toPrecision(1)}%`;
  if (p > 0 && p < 1) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

function num(x: number, digits = 0): string {
  return x.toFixed(digits);
}

/** One reason sentence for an anomalous feature value. */
function describe(name: AccountFeature, x: number, med: number, config: SignalsConfig): string {
  switch (name) {
    case 'peakPlaysPerHour':
      return `${num(x)} plays in a single hour at peak (median ${num(med)})`;
    case 'playsPerActiveDay':
      return `${num(x)} plays per active day (median ${num(med)})`;
    case 'activeHoursPerDay':
      return `active ${num(x, 1)} hours per active day (median ${num(med, 1)})`;
    case 'shortPlayShare': {
      const [from, to] = config.anomaly.shortPlayWindowMs;
      return `${percent(x)} of plays end between ${num(from / 1000)} and ${num(to / 1000)} s (median ${percent(med)})`;
    }
    case 'gapRegularity':
      return `machine-regular gaps between plays (variation ${num(x, 2)}, median ${num(med, 2)})`;
    case 'topTrackShare':
      return `${percent(x)} of plays are of one track (median ${percent(med)})`;
    case 'unfinishedLoopShare':
      return `${percent(x)} of plays loop tracks played 5+ times but never to the end (median ${percent(med)})`;
    case 'distinctTrackRatio':
      return `only ${percent(x)} of plays are distinct tracks (median ${percent(med)})`;
    case 'hourEntropy':
      return `plays spread evenly around the clock (hour-of-day entropy ${num(x, 2)} of 4.58 bits, median ${num(med, 2)})`;
    case 'quietHours':
      return `no sleep gap: longest quiet stretch ${num(x)} h of the day (median ${num(med)} h)`;
  }
}
