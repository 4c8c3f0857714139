/** The human reason of a playlist slot, from its reason code and arguments (see rerank/reranker). */
import { REASON_DISCOVERY, REASON_NEW_RELEASE } from '../rerank/reranker.js';

export interface ReasonNames {
  trackIds: readonly string[];
  /** Track titles from a catalog ('' = unknown, shown by id); plain data so workers can hold it. */
  trackTitles?: readonly string[];
  artistIds: readonly string[];
  /** Artist index per track, −1 unknown. */
  trackArtist: Int32Array;
}

export function formatReason(code: number, refA: number, refB: number, names: ReasonNames): string {
  const track = (t: number): string => names.trackTitles?.[t] || names.trackIds[t];
  if (code === REASON_NEW_RELEASE) {
    return refA >= 0 ? `new release from an artist you like: ${names.artistIds[refA]}` : 'new release from an artist you like';
  }
  if (code === REASON_DISCOVERY) {
    if (refA < 0) return 'a discovery picked for your taste';
    const a = names.trackArtist[refA];
    return `a discovery: fans of ${a >= 0 ? names.artistIds[a] : track(refA)} love it`;
  }
  if (refA < 0) return 'picked for your taste';
  if (refB < 0) return `because you played ${track(refA)}`;
  return `because you played ${track(refA)} and ${track(refB)}`;
}
