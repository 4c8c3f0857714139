/**
 * The exposure view across all users: how many artists and tracks the playlists show, and how
 * unevenly (Gini of per-artist exposure, 0 = every artist equally, → 1 = a few take everything).
 * Accumulated shard by shard, so the full set of playlists is never held at once.
 */
import type { PlaylistSlots } from './reranker.js';

export interface ExposureSummary {
  slots: number;
  artistsExposed: number;
  /** Gini over all catalog artists (unexposed ones count as 0). */
  artistGini: number;
  tracksExposed: number;
  /** Distinct tracks shown over the catalog size. */
  catalogCoverage: number;
  /** Mean popularity of the shown tracks. */
  meanPopularity: number;
}

export class ExposureCounter {
  private readonly artistSlots: Float64Array;
  private readonly trackShown: Uint8Array;
  private slots = 0;
  private tracks = 0;
  private popSum = 0;

  constructor(
    private readonly artist: Int32Array,
    artists: number,
    private readonly popularity: Float32Array,
  ) {
    this.artistSlots = new Float64Array(Math.max(0, artists));
    this.trackShown = new Uint8Array(artist.length);
  }

  add(out: Pick<PlaylistSlots, 'size' | 'count' | 'items'>, users: number): void {
    for (let u = 0; u < users; u++) {
      for (let s = 0; s < out.count[u]; s++) this.addTrack(out.items[u * out.size + s]);
    }
  }

  addTrack(it: number): void {
    if (it < 0) return;
    this.slots++;
    this.popSum += this.popularity[it];
    const a = this.artist[it];
    if (a >= 0) this.artistSlots[a]++;
    if (this.trackShown[it] === 0) {
      this.trackShown[it] = 1;
      this.tracks++;
    }
  }

  summary(): ExposureSummary {
    let exposed = 0;
    for (let a = 0; a < this.artistSlots.length; a++) if (this.artistSlots[a] > 0) exposed++;
    return {
      slots: this.slots,
      artistsExposed: exposed,
      artistGini: gini(this.artistSlots),
      tracksExposed: this.tracks,
      catalogCoverage: this.trackShown.length > 0 ? this.tracks / this.trackShown.length : Number.NaN,
      meanPopularity: this.slots > 0 ? this.popSum / this.slots : Number.NaN,
    };
  }
}

/** Gini coefficient of non-negative values (NaN when empty or all zero). */
export function gini(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const v = Float64Array.from(values).sort();
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += v[i];
    weighted += (i + 1) * v[i];
  }
  if (total <= 0) return Number.NaN;
  return (2 * weighted) / (n * total) - (n + 1) / n;
}
