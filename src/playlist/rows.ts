/** Shard results as output rows: external ids, 1-based positions and formatted reasons. */
import type { PlaylistBatch } from './output.js';
import { formatReason, type ReasonNames } from './reasons.js';
import type { ShardResult } from './shard.js';

/** Shard slots → output rows with external ids and formatted reasons. */
export function toBatch(r: Pick<ShardResult, 'users' | 'count' | 'size' | 'items' | 'scores' | 'reason' | 'refA' | 'refB'>, userIds: readonly string[], names: ReasonNames): PlaylistBatch {
  let n = 0;
  for (let i = 0; i < r.users.length; i++) n += r.count[i];
  const b: PlaylistBatch = {
    length: n,
    userId: new Array<string>(n),
    position: new Int32Array(n),
    trackId: new Array<string>(n),
    artistId: new Array<string | null>(n),
    score: new Float32Array(n),
    reason: new Array<string>(n),
  };
  let w = 0;
  for (let i = 0; i < r.users.length; i++) {
    const uid = userIds[r.users[i]];
    for (let s = 0; s < r.count[i]; s++) {
      const o = i * r.size + s;
      const it = r.items[o];
      const a = names.trackArtist[it];
      b.userId[w] = uid;
      b.position[w] = s + 1;
      b.trackId[w] = names.trackIds[it];
      b.artistId[w] = a >= 0 ? names.artistIds[a] : null;
      b.score[w] = r.scores[o];
      b.reason[w] = formatReason(r.reason[o], r.refA[o], r.refB[o], names);
      w++;
    }
  }
  return b;
}
