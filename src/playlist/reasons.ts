/** The human reason of a playlist slot, from its reason code and arguments (see rerank/reranker). */
import { REASON_DISCOVERY, REASON_NEW_RELEASE, REASON_POPULAR } from '../rerank/reranker.js';

export interface ReasonNames {
  trackIds: readonly string[];
  /** Track titles from a catalog ('' = unknown, shown by id); plain data so workers can hold it. */
  trackTitles?: readonly string[];
  artistIds: readonly string[];
  /** Artist index per track, −1 unknown. */
  trackArtist: Int32Array;
}

/**
 * How a track is named in a reason: its title and artist when the catalog has them (titles repeat
 * across artists: "Intro", covers), the title alone without an artist, else its id.
 */
function trackName(t: number, names: ReasonNames): string {
  const title = names.trackTitles?.[t];
  if (!title) return names.trackIds[t];
  const a = names.trackArtist[t];
  return a >= 0 ? `${title} by ${names.artistIds[a]}` : title;
}

export function formatReason(code: number, refA: number, refB: number, names: ReasonNames): string {
  if (code === REASON_NEW_RELEASE) {
    return refA >= 0 ? `new release from an artist you like: ${names.artistIds[refA]}` : 'new release from an artist you like';
  }
  if (code === REASON_POPULAR) return 'popular with listeners';
  if (code === REASON_DISCOVERY) {
    if (refA < 0) return 'a discovery picked for your taste';
    const a = names.trackArtist[refA];
    return `a discovery: fans of ${a >= 0 ? names.artistIds[a] : trackName(refA, names)} love it`;
  }
  if (refA < 0) return 'picked for your taste';
  if (refB < 0) return `because you played ${trackName(refA, names)}`;
  return `because you played ${trackName(refA, names)} and ${trackName(refB, names)}`;
}
