/**
 * One listener's raw events since training (as a service receives them) turned into what a
 * playlist call takes: evidence to fold in and tracks and artists to leave out. The events pass
 * through ingest and the signals stage exactly as the weekly job's recent events do, so a call
 * and the job agree on what a skip or a dislike means; only the account's trust is not judged
 * (one account has no population to be judged against).
 */
import { readEventRecords, type EventRecord } from '../data/read-event-records.js';
import { computeSignals, type SignalsConfigInput } from '../signals/index.js';
import { EVENT_KINDS, type EventKind } from '../types.js';

/** Rules that mean an event is wrong rather than out of the window. */
const INVALID = ['missing_id', 'bad_timestamp', 'ancient_timestamp', 'negative_duration', 'overlong_play'] as const;

/**
 * `recentEvents:row N: rule: what was wrong` for the first invalid event. The lenient read keeps
 * only where each rule fired; the event alone is read again strictly for the details (the value
 * given), which a strict read of them all would not reach past a later event or a repeat.
 */
async function whyInvalid(records: readonly EventRecord[], where: string, rule: string, asOf: number, eventAliases?: Readonly<Record<string, EventKind>>): Promise<string> {
  const row = Number(/row (\d+)$/.exec(where)?.[1]);
  const record = records[row - 1];
  if (record === undefined) return `${where}: ${rule}`;
  try {
    await readEventRecords([record], { asOf, strict: true, source: 'event', ...(eventAliases ? { eventAliases } : {}) });
  } catch (err) {
    const detail = /^event:row 1: (.*)$/.exec((err as Error).message)?.[1];
    if (detail?.startsWith(rule)) return `${where}: ${detail}`;
  }
  return `${where}: ${rule}`;
}

/** An event of the listener a playlist is made for (no user id: it is the call's). */
export type ListenEvent = Omit<EventRecord, 'userId'>;

/** Folded-in evidence (weight 0 = heard, neither for nor against) and exclusions, by id. */
export interface RecentEvidence {
  recent: { trackId: string; weight: number; pref: 0 | 1 }[];
  dislikedTracks: string[];
  dislikedArtists: string[];
}

export async function evidenceFromEvents(
  userId: string,
  events: readonly ListenEvent[],
  asOf: number,
  eventAliases?: Readonly<Record<string, EventKind>>,
  /** Signals config overrides (a tuned run's), as the job reads its recent events with. */
  signals?: SignalsConfigInput,
): Promise<RecentEvidence> {
  const records = events.map((e) => ({ ...e, userId }));
  const { log, report } = await readEventRecords(records, { asOf, source: 'recentEvents', ...(eventAliases ? { eventAliases } : {}) });
  // A caller's bad event is an error, not a silent drop; events after asOf and repeats are left
  // out as the job leaves them out (a client's clock may run a little ahead).
  // Examples are listed in the order of their first row: the first bad event is named.
  const bad = Object.entries(report.examples).find(([rule]) => (INVALID as readonly string[]).includes(rule));
  if (bad) throw new RangeError(await whyInvalid(records, bad[1][0], bad[0], asOf, eventAliases));
  // A kind the engine does not know would count as neither for nor against the track: a misspelt
  // 'skipp' would lose its evidence without a word (the job names them on its read line).
  const unknown = Object.entries(report.unknownKinds ?? {});
  if (unknown.length > 0) {
    const [name, count] = unknown[0];
    throw new RangeError(`recentEvents: unknown event kind ${JSON.stringify(name)} (${count} event${count === 1 ? '' : 's'}): use one of ${EVENT_KINDS.join(', ')}, or name it in options.eventAliases (e.g. { ${JSON.stringify(name)}: 'play' })`);
  }
  const config = { ...signals, anomaly: { ...signals?.anomaly, enabled: false } };
  const { interactions, exclusions } = computeSignals(log, { asOf, config });
  const trackId = (t: number): string => log.tracks.ids[t];
  // Every event's track is heard, plus the signed evidence of the signals stage (as recentTables).
  const recent: RecentEvidence['recent'] = [];
  for (let e = 0; e < log.length; e++) recent.push({ trackId: trackId(log.track[e]), weight: 0, pref: 0 });
  for (let p = interactions.indptr[0] ?? 0; p < (interactions.indptr[1] ?? 0); p++) {
    recent.push({ trackId: interactions.items.ids[interactions.indices[p]], weight: interactions.weight[p], pref: interactions.pref[p] > 0 ? 1 : 0 });
  }
  const row = (m: { indptr: Int32Array; indices: Int32Array }): Int32Array => (m.indptr.length > 1 ? m.indices.subarray(m.indptr[0], m.indptr[1]) : new Int32Array(0));
  const artistIds = log.artists?.ids ?? [];
  return {
    recent,
    dislikedTracks: Array.from(row(exclusions.tracks), trackId),
    dislikedArtists: Array.from(row(exclusions.artistsByUser), (a) => artistIds[a]),
  };
}
