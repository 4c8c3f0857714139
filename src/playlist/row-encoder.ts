/**
 * Output rows and archive lines straight from a shard's playlist slots, as CSV or JSONL text: the
 * escaped id fields of each track and user are built once (per worker) and reused, so a row costs
 * a few concatenations, the score and its reason. Produces exactly the rows of encodeRows.
 */
import { csvField } from '../util/csv-field.js';
import { formatReason, type ReasonNames } from './reasons.js';
import type { ShardResult } from './shard.js';

type Slots = Pick<ShardResult, 'users' | 'count' | 'size' | 'items' | 'scores' | 'reason' | 'refA' | 'refB'>;

export class RowEncoder {
  /** ",<track_id>,<artist_id>," per track (CSV), built on first use. */
  private readonly trackCsv: (string | undefined)[];
  /** ',"track_id":…,"artist_id":…,"score":' per track (JSONL). */
  private readonly trackJson: (string | undefined)[];
  /** ",<track_id>\n" per track (archive lines). */
  private readonly trackArchive: (string | undefined)[];

  constructor(
    private readonly userIds: readonly string[],
    private readonly names: ReasonNames,
  ) {
    const n = names.trackIds.length;
    this.trackCsv = new Array<string | undefined>(n);
    this.trackJson = new Array<string | undefined>(n);
    this.trackArchive = new Array<string | undefined>(n);
  }

  private artistId(t: number): string | null {
    const a = this.names.trackArtist[t];
    return a >= 0 ? this.names.artistIds[a] : null;
  }

  csv(r: Slots, week: string): string {
    const w = csvField(week);
    let text = '';
    for (let i = 0; i < r.users.length; i++) {
      const head = `${csvField(this.userIds[r.users[i]])},${w},`;
      for (let s = 0; s < r.count[i]; s++) {
        const o = i * r.size + s;
        const t = r.items[o];
        let frag = this.trackCsv[t];
        if (frag === undefined) {
          const a = this.artistId(t);
          frag = this.trackCsv[t] = `,${csvField(this.names.trackIds[t])},${a === null ? '' : csvField(a)},`;
        }
        text += `${head}${s + 1}${frag}${r.scores[o]},${csvField(formatReason(r.reason[o], r.refA[o], r.refB[o], this.names))}\n`;
      }
    }
    return text;
  }

  jsonl(r: Slots, week: string): string {
    const w = JSON.stringify(week);
    let text = '';
    for (let i = 0; i < r.users.length; i++) {
      const head = `{"user_id":${JSON.stringify(this.userIds[r.users[i]])},"week":${w},"position":`;
      for (let s = 0; s < r.count[i]; s++) {
        const o = i * r.size + s;
        const t = r.items[o];
        let frag = this.trackJson[t];
        if (frag === undefined) frag = this.trackJson[t] = `,"track_id":${JSON.stringify(this.names.trackIds[t])},"artist_id":${JSON.stringify(this.artistId(t))},"score":`;
        text += `${head}${s + 1}${frag}${r.scores[o]},"reason":${JSON.stringify(formatReason(r.reason[o], r.refA[o], r.refB[o], this.names))}}\n`;
      }
    }
    return text;
  }

  /** Archive lines (user_id,track_id) of the slots. */
  archive(r: Slots): string {
    let text = '';
    for (let i = 0; i < r.users.length; i++) {
      const head = csvField(this.userIds[r.users[i]]);
      for (let s = 0; s < r.count[i]; s++) {
        const t = r.items[i * r.size + s];
        let frag = this.trackArchive[t];
        if (frag === undefined) frag = this.trackArchive[t] = `,${csvField(this.names.trackIds[t])}\n`;
        text += head + frag;
      }
    }
    return text;
  }
}
