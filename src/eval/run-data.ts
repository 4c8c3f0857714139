/**
 * Loading the input of an evaluation or tuning run with the shared interaction flags. Counts files
 * stay raw triplets (with times when `--time-col` is given) so every split can cut them its way;
 * event logs stay an EventLog so the temporal split can train as of a cut and the signals stage
 * (with the run's overrides) runs on the training period only.
 */
import { readCounts, readEvents, type IngestReport } from '../data/index.js';
import { countsReadOptions, eventsReadOptions, withFormatHint, type InteractionFlags } from '../config/interaction-source.js';
import type { Dictionary } from '../data/dictionary.js';
import { buildCsr } from '../data/csr.js';
import { computeSignals, defaultAsOf, type SignalsConfigInput } from '../signals/index.js';
import type { EventLog, IdDictionary, Interactions } from '../types.js';
import { readTimedCounts, type TimedCounts } from './timed-counts.js';

export interface RunDataFlags extends Omit<InteractionFlags, 'signals'> {
  /** Counts rows with a weight below this are dropped before splitting (e.g. ratings < 4). */
  minWeight?: number;
}

export interface CountsData {
  kind: 'counts';
  users: IdDictionary;
  items: IdDictionary;
  user: Int32Array;
  item: Int32Array;
  weight: Float32Array;
  /** Epoch ms per row when the file has a time column. */
  time?: Float64Array;
  /** Rows dropped by --min-weight. */
  droppedBelowMinWeight: number;
  /** What reading the file did (rows read and kept, rules that fired). */
  ingest: IngestReport;
}

export interface EventsData {
  kind: 'events';
  users: IdDictionary;
  items: IdDictionary;
  log: EventLog;
  /** --as-of, or just after the last event ignoring stray future-dated rows (`defaultAsOf`): the reference time of the whole log. */
  asOf: number;
  ingest: IngestReport;
}

export type RunData = CountsData | EventsData;

export async function loadRunData(f: RunDataFlags): Promise<RunData> {
  if (f.format === 'events') {
    if (f.minWeight !== undefined) throw new Error('--min-weight applies to counts files only (events are weighed by the signals stage)');
    // Shared columns: every split hands the log to the signals stage's threads without a copy.
    const { log, report } = await withFormatHint('events', () => readEvents(f.interactions, { ...eventsReadOptions(f), sharedColumns: true }));
    if (log.length === 0) throw new Error(`${f.interactions}: no events`);
    return { kind: 'events', users: log.users, items: log.tracks, log, asOf: f.asOf ?? defaultAsOf(log.timestamp), ingest: report };
  }
  const cols = countsReadOptions(f);
  const raw: Omit<TimedCounts, 'time'> & { time?: Float64Array } = await withFormatHint('counts', () =>
    f.timeCol ? readTimedCounts(f.interactions, { ...cols, timeCol: f.timeCol }) : readCounts(f.interactions, cols),
  );
  const time = raw.time;
  const data: CountsData = { kind: 'counts', users: raw.users, items: raw.items, user: raw.user, item: raw.item, weight: raw.weight, droppedBelowMinWeight: 0, ingest: raw.report };
  if (time) data.time = time;
  if (raw.user.length === 0) throw new Error(`${f.interactions}: no usable rows`);
  return f.minWeight === undefined ? data : dropBelow(data, f.minWeight);
}

/** Keep rows with weight ≥ min; dictionaries keep every id so shapes stay those of the file. */
function dropBelow(d: CountsData, min: number): CountsData {
  let n = 0;
  for (let r = 0; r < d.weight.length; r++) if (d.weight[r] >= min) n++;
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const weight = new Float32Array(n);
  const time = d.time ? new Float64Array(n) : undefined;
  n = 0;
  for (let r = 0; r < d.weight.length; r++) {
    if (!(d.weight[r] >= min)) continue;
    user[n] = d.user[r];
    item[n] = d.item[r];
    weight[n] = d.weight[r];
    if (time) time[n] = d.time![r];
    n++;
  }
  const out: CountsData = { ...d, user, item, weight, droppedBelowMinWeight: d.weight.length - n };
  if (time) out.time = time;
  else delete out.time;
  return out;
}

export function countsMatrix(users: IdDictionary, items: IdDictionary, u: Int32Array, i: Int32Array, w: Float32Array): Interactions {
  const m = buildCsr(users.size, items.size, u, i, [w]);
  return { users: users as Dictionary, items: items as Dictionary, indptr: m.indptr, indices: m.indices, pref: new Float32Array(m.indices.length).fill(1), weight: m.values[0] };
}
