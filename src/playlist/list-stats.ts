/**
 * Beyond-accuracy figures of a set of playlists, accumulated shard by shard: intra-list
 * diversity (mean pairwise 1 − cosine over unit vectors), distinct artists per list, mean
 * popularity, catalog coverage, and optionally a planted satisfaction (e.g. a generator's expected
 * full-play rate) — the figures of the re-ranking trade-off table.
 */
import type { PlaylistSlots } from '../rerank/reranker.js';

export interface ListStats {
  lists: number;
  intraListDiversity: number;
  artistsPerList: number;
  meanPopularity: number;
  catalogCoverage: number;
  /** Mean satisfaction per slot; NaN without a satisfaction function. */
  satisfaction: number;
}

export class ListStatsCounter {
  private lists = 0;
  private ild = 0;
  private artists = 0;
  private pop = 0;
  private slots = 0;
  private sat = 0;
  private distinct = 0;
  private readonly shown: Uint8Array;
  private readonly artistMark: Int32Array;

  constructor(
    private readonly vectors: Float32Array,
    private readonly dim: number,
    private readonly trackArtist: Int32Array,
    artists: number,
    private readonly popularity: Float32Array,
    private readonly satisfaction?: (user: number, track: number) => number,
  ) {
    this.shown = new Uint8Array(trackArtist.length);
    this.artistMark = new Int32Array(Math.max(1, artists)).fill(-1);
  }

  add(out: PlaylistSlots, users: Int32Array): void {
    const d = this.dim;
    const v = this.vectors;
    for (let i = 0; i < users.length; i++) {
      const n = out.count[i];
      if (n === 0) continue;
      const base = i * out.size;
      let sum = 0;
      let pairs = 0;
      let artists = 0;
      for (let a = 0; a < n; a++) {
        const x = out.items[base + a];
        this.pop += this.popularity[x];
        if (this.satisfaction) this.sat += this.satisfaction(users[i], x);
        if (this.shown[x] === 0) (this.shown[x] = 1), this.distinct++;
        const ar = this.trackArtist[x];
        if (ar >= 0 && this.artistMark[ar] !== this.lists) (this.artistMark[ar] = this.lists), artists++;
        for (let b = a + 1; b < n; b++) {
          const y = out.items[base + b];
          let dot = 0;
          for (let j = 0; j < d; j++) dot += v[x * d + j] * v[y * d + j];
          sum += 1 - dot;
          pairs++;
        }
      }
      this.slots += n;
      this.ild += pairs > 0 ? sum / pairs : 0;
      this.artists += artists;
      this.lists++;
    }
  }

  summary(): ListStats {
    return {
      lists: this.lists,
      intraListDiversity: this.ild / Math.max(1, this.lists),
      artistsPerList: this.artists / Math.max(1, this.lists),
      meanPopularity: this.pop / Math.max(1, this.slots),
      catalogCoverage: this.distinct / Math.max(1, this.shown.length),
      satisfaction: this.satisfaction ? this.sat / Math.max(1, this.slots) : Number.NaN,
    };
  }
}
