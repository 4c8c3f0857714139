/**
 * The value rules every event passes (whatever file format it came from) and the growable
 * columnar store of the events that pass. Duplicates (same user, track, timestamp and kind as an
 * earlier event) are found on typed values, never strings, in one of two ways:
 * - eager (strict reads, which must fail on the first violating row in file order): each event is
 *   checked on arrival against a hash index whose slots keep the full 32-bit hash beside the
 *   event, so a probe reads the event columns only when the hashes match;
 * - deferred (every other read): events are stored as they come with their row or line, and
 *   `settle` finds the duplicates of the whole log in cache-sized partitions (find-duplicates.ts),
 *   removes them and reports them, and the unknown event kinds of the rows kept, in row order, as
 *   the eager way would have.
 */
import type { EventLog, IdDictionary } from '../types.js';
import { eventHash, findDuplicatesInTurns } from './find-duplicates.js';
import type { EventRule } from './ingest-report.js';
import type { ReportBuilder } from './ingest-report.js';
import { largeArray } from '../util/large-array.js';
import { sharedArray } from '../util/shared-memory.js';
import { releasePages } from '../native/index.js';

/**
 * Events appendRange copies before it gives the pages they came from back: whole 2 MiB pages of
 * even the byte column (large columns are on huge pages, and releasing part of one splits it;
 * 2^18 events a step took twice the time).
 */
const APPEND_CHUNK = 1 << 21;

export interface EventRuleOptions {
  /** Events after this epoch ms are `future_timestamp`. */
  asOf?: number;
  /** Events before this epoch ms are `ancient_timestamp`. */
  minEpochMs: number;
  /** Events before this epoch ms are `too_old` (retention). */
  retainFromMs?: number;
  /** Slack of `overlong_play`: ms_played may exceed the track duration by this much. */
  durationToleranceMs: number;
}

export interface OptionalColumns {
  duration: boolean;
  artist: boolean;
  context: boolean;
}

type Column = Int32Array | Float32Array | Float64Array | Uint8Array;

type ColumnCtor<T extends Column> = { new (length: number): T; new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/** A zeroed column of `n` elements: in shared memory when `shared`, else on huge pages when large. */
function column<T extends Column>(ctor: ColumnCtor<T>, n: number, shared: boolean): T {
  return shared ? sharedArray(ctor, n) : largeArray(ctor, n);
}

/** A copy of `a` in a new array of `n` elements, in the same kind of memory. */
function grown<T extends Column>(a: T, n: number): T {
  const g = column(a.constructor as ColumnCtor<T>, n, a.buffer instanceof SharedArrayBuffer);
  g.set(a as never);
  return g;
}

/**
 * The events a deferred collector stored, as plain data another thread can send (its columns in
 * shared memory): what EventCollector.appendRange takes.
 */
export type CollectedEvents = Pick<EventCollector, 'length' | 'user' | 'track' | 'timestamp' | 'kind' | 'msPlayed' | 'durationMs' | 'artist' | 'context'> & {
  where: Int32Array;
  unknownAt: number[];
  unknownNames: string[];
};

/** Index maps of appendRange: the other collector's id index → this one's. */
export interface IdMaps {
  user: Int32Array;
  track: Int32Array;
  artist: Int32Array | undefined;
  context: Int32Array | undefined;
}

export class EventCollector {
  length = 0;
  private capacity: number;
  user: Int32Array;
  track: Int32Array;
  timestamp: Float64Array;
  kind: Uint8Array;
  msPlayed: Float32Array;
  durationMs: Float32Array | undefined;
  artist: Int32Array | undefined;
  context: Int32Array | undefined;
  /** Deferred mode: the row (or line) of each stored event, for reporting its duplicates later. */
  private where: Int32Array;
  /** Deferred mode: stored events whose kind name was unknown, with the name. */
  private readonly unknownAt: number[] = [];
  private readonly unknownNames: string[] = [];
  /** Eager mode: per slot the event's hash and its index + 1 (0 when the slot is empty). */
  private slots: Int32Array;
  private mask: number;
  private readonly maxTs: number;
  private readonly minTs: number;

  /**
   * `deferred` (see the module comment) suits every read except a strict one. `shared` puts the
   * columns in SharedArrayBuffers, so worker threads take the log without a copy.
   */
  constructor(
    private readonly rules: EventRuleOptions,
    columns: OptionalColumns,
    capacityHint = 1024,
    readonly deferred = false,
    shared = false,
  ) {
    const cap = Math.max(16, Math.ceil(capacityHint));
    this.capacity = cap;
    this.user = column(Int32Array, cap, shared);
    this.track = column(Int32Array, cap, shared);
    this.timestamp = column(Float64Array, cap, shared);
    this.kind = column(Uint8Array, cap, shared);
    this.msPlayed = column(Float32Array, cap, shared);
    if (columns.duration) this.durationMs = column(Float32Array, cap, shared);
    if (columns.artist) this.artist = column(Int32Array, cap, shared);
    if (columns.context) this.context = column(Int32Array, cap, shared);
    let slots = 1024;
    if (!deferred) while (slots < cap * 2) slots *= 2;
    this.slots = largeArray(Int32Array, deferred ? 0 : 2 * slots); // probed at random: huge pages spare page walks
    this.mask = slots - 1;
    this.where = deferred ? column(Int32Array, cap, shared) : new Int32Array(0);
    this.maxTs = rules.asOf ?? Infinity;
    this.minTs = rules.minEpochMs;
  }

  /**
   * The first rule the values break, or null. `ts` is epoch ms (NaN when it did not parse),
   * `ms` and `dur` are NaN when unknown.
   */
  check(ts: number, ms: number, dur: number): EventRule | null {
    if (!Number.isFinite(ts)) return 'bad_timestamp';
    if (ts > this.maxTs) return 'future_timestamp';
    if (ts < this.minTs) return 'ancient_timestamp';
    const keep = this.rules.retainFromMs;
    if (keep !== undefined && ts < keep) return 'too_old';
    if (ms < 0 || dur < 0) return 'negative_duration';
    if (ms > dur + this.rules.durationToleranceMs) return 'overlong_play';
    return null;
  }

  /**
   * Stores the event of row (or line) `where`. Eager mode: false (and nothing stored) when it
   * duplicates a stored event. Deferred mode: always true; `settle` removes duplicates later.
   */
  push(u: number, t: number, ts: number, kind: number, ms: number, dur: number, artist: number, context: number, where: number): boolean {
    const n = this.length;
    let h = 0;
    let slot = 0;
    if (this.deferred) {
      if (n === this.capacity) this.grow();
      this.where[n] = where;
    } else {
      h = eventHash(u, t, ts, kind);
      const slots = this.slots;
      const mask = this.mask;
      slot = h & mask;
      for (;;) {
        const e = slots[2 * slot + 1];
        if (e === 0) break;
        if (slots[2 * slot] === h) {
          const j = e - 1;
          if (this.user[j] === u && this.track[j] === t && this.timestamp[j] === ts && this.kind[j] === kind) return false;
        }
        slot = (slot + 1) & mask;
      }
      if (n === this.capacity) this.grow();
    }
    this.user[n] = u;
    this.track[n] = t;
    this.timestamp[n] = ts;
    this.kind[n] = kind;
    this.msPlayed[n] = ms;
    if (this.durationMs) this.durationMs[n] = dur;
    if (this.artist) this.artist[n] = artist;
    if (this.context) this.context[n] = context;
    this.length = n + 1;
    if (!this.deferred) {
      this.slots[2 * slot] = h;
      this.slots[2 * slot + 1] = n + 1;
      if (this.length > this.mask >> 1) this.rehash();
    }
    return true;
  }

  /**
   * The event just stored had the unknown kind `name` (it is stored as other): reported now in
   * eager mode, by `settle` (unless the event turns out a duplicate) in deferred mode.
   */
  unknownKind(report: ReportBuilder, name: string, where: number): void {
    if (!this.deferred) return report.unknownKind(name, where);
    this.unknownAt.push(this.length - 1);
    this.unknownNames.push(name);
  }

  /** Deferred mode: the events stored so far (settle not yet run), for appendRange on another thread. */
  collected(): CollectedEvents {
    if (!this.deferred) throw new Error('EventCollector.collected: only a deferred collector hands on its events');
    const n = this.length;
    return {
      length: n,
      user: this.user.subarray(0, n),
      track: this.track.subarray(0, n),
      timestamp: this.timestamp.subarray(0, n),
      kind: this.kind.subarray(0, n),
      msPlayed: this.msPlayed.subarray(0, n),
      durationMs: this.durationMs?.subarray(0, n),
      artist: this.artist?.subarray(0, n),
      context: this.context?.subarray(0, n),
      where: this.where.subarray(0, n),
      unknownAt: this.unknownAt,
      unknownNames: this.unknownNames,
    };
  }

  /**
   * Deferred mode: appends the events another collector stored from the rows that follow this
   * one's (a later byte range of the same file), as if they had been pushed here: ids mapped
   * through `maps`, rows (or lines) shifted by `base`. Both collectors must have the same columns.
   * `from` is spent: its columns read as zeros afterwards. `chunk`: events copied per step.
   */
  appendRange(from: CollectedEvents, maps: IdMaps, base: number, chunk = APPEND_CHUNK): void {
    if (!this.deferred) throw new Error('EventCollector.appendRange: only a deferred collector takes events in ranges');
    if (!!from.durationMs !== !!this.durationMs || !!from.artist !== !!this.artist || !!from.context !== !!this.context) {
      throw new Error('EventCollector.appendRange: the collectors have different columns');
    }
    const m = from.length;
    const n = this.length;
    while (n + m > this.capacity) this.grow();
    // In chunks, each given back to the system once copied (`from` is spent): the read then holds
    // about one log's columns, not one and a half, until the range's memory is collected.
    for (let c = 0; c < m; c += chunk) {
      const e = Math.min(m, c + chunk);
      mapInto(this.user, n + c, from.user, c, e, maps.user);
      mapInto(this.track, n + c, from.track, c, e, maps.track);
      this.timestamp.set(from.timestamp.subarray(c, e), n + c);
      this.kind.set(from.kind.subarray(c, e), n + c);
      this.msPlayed.set(from.msPlayed.subarray(c, e), n + c);
      if (this.durationMs) this.durationMs.set(from.durationMs!.subarray(c, e), n + c);
      if (this.artist) mapInto(this.artist, n + c, from.artist!, c, e, maps.artist!);
      if (this.context) mapInto(this.context, n + c, from.context!, c, e, maps.context!);
      const where = this.where;
      for (let i = c; i < e; i++) where[n + i] = base + from.where[i];
      for (const col of [from.user, from.track, from.timestamp, from.kind, from.msPlayed, from.durationMs, from.artist, from.context, from.where]) {
        if (col) releasePages(col.subarray(c, e));
      }
    }
    for (let u = 0; u < from.unknownAt.length; u++) {
      this.unknownAt.push(n + from.unknownAt[u]);
      this.unknownNames.push(from.unknownNames[u]);
    }
    this.length = n + m;
  }

  /**
   * Deferred mode: removes the duplicates and reports them (`duplicate_event`, taken off
   * `rowsKept`) and the unknown kinds of kept events, in row order. Nothing to do in eager mode.
   */
  async settle(report: ReportBuilder): Promise<void> {
    if (!this.deferred) return;
    const n = this.length;
    // In steps, so the caller's event loop turns during the search (0.7 s at 10 M events).
    const dups = await findDuplicatesInTurns(this.user, this.track, this.timestamp, this.kind, n);
    const where = this.where;
    let d = 0;
    for (let u = 0; u < this.unknownAt.length; u++) {
      const at = this.unknownAt[u];
      for (; d < dups.length && dups[d] <= at; d++) report.violation('duplicate_event', where[dups[d]]);
      if (d > 0 && dups[d - 1] === at) continue;
      report.unknownKind(this.unknownNames[u], where[at]);
    }
    for (; d < dups.length; d++) report.violation('duplicate_event', where[dups[d]]);
    report.rowsKept -= dups.length;
    this.where = new Int32Array(0);
    if (dups.length > 0) this.remove(dups);
  }

  /** Removes the events at the given ascending indices, keeping the order of the rest. */
  private remove(drop: Int32Array): void {
    const n = this.length;
    const cols: (Column | undefined)[] = [
      this.user,
      this.track,
      this.timestamp,
      this.kind,
      this.msPlayed,
      this.durationMs,
      this.artist,
      this.context,
    ];
    for (const col of cols) {
      if (!col) continue;
      let w = drop[0];
      for (let d = 0; d < drop.length; d++) {
        const end = d + 1 < drop.length ? drop[d + 1] : n;
        col.copyWithin(w, drop[d] + 1, end);
        w += end - drop[d] - 1;
      }
    }
    this.length = n - drop.length;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    this.user = grown(this.user, cap);
    this.track = grown(this.track, cap);
    this.timestamp = grown(this.timestamp, cap);
    this.kind = grown(this.kind, cap);
    this.msPlayed = grown(this.msPlayed, cap);
    if (this.durationMs) this.durationMs = grown(this.durationMs, cap);
    if (this.artist) this.artist = grown(this.artist, cap);
    if (this.context) this.context = grown(this.context, cap);
    if (this.deferred) this.where = grown(this.where, cap);
    this.capacity = cap;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = largeArray(Int32Array, old.length * 2);
    const mask = (slots.length >> 1) - 1;
    for (let s = 0; s < old.length; s += 2) {
      const e = old[s + 1];
      if (e === 0) continue;
      let slot = old[s] & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[s];
      slots[2 * slot + 1] = e;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** The stored events as an EventLog with arrays trimmed to their length. */
  finish(
    users: IdDictionary,
    tracks: IdDictionary,
    artists?: IdDictionary,
    contexts?: IdDictionary,
  ): EventLog {
    this.slots = new Int32Array(0); // let the duplicate index go before the trimming copies
    const n = this.length;
    // Close to full: views avoid a copy (and its memory peak) at ≤ 1/8 slack; else copy to size.
    const view = n >= this.capacity - (this.capacity >> 3);
    const trim = <T extends Column>(a: T): T => (a.length === n ? a : view ? (a.subarray(0, n) as T) : grown(a.subarray(0, n) as T, n));
    const log: {
      -readonly [K in keyof EventLog]: EventLog[K];
    } = {
      length: n,
      users,
      tracks,
      user: trim(this.user),
      track: trim(this.track),
      timestamp: trim(this.timestamp),
      kind: trim(this.kind),
      msPlayed: trim(this.msPlayed),
    };
    if (this.durationMs) log.durationMs = trim(this.durationMs);
    if (this.artist && artists) {
      log.artist = trim(this.artist);
      log.artists = artists;
    }
    if (this.context && contexts) {
      log.context = trim(this.context);
      log.contexts = contexts;
    }
    return log;
  }
}

/** to[at + i − c] = map[from[i]] for c ≤ i < e; an optional id's −1 (no value) stays −1. */
function mapInto(to: Int32Array, at: number, from: Int32Array, c: number, e: number, map: Int32Array): void {
  for (let i = c; i < e; i++) {
    const v = from[i];
    to[at + i - c] = v < 0 ? v : map[v];
  }
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** Human-readable details of a value rule, for strict-mode errors. */
export function describeRule(rule: EventRule, ts: number, ms: number, dur: number, rules: EventRuleOptions): string {
  switch (rule) {
    case 'future_timestamp':
      return `${iso(ts)} is after asOf ${iso(rules.asOf ?? Infinity)}`;
    case 'ancient_timestamp':
      return `${iso(ts)} is before ${iso(rules.minEpochMs)}`;
    case 'too_old':
      return `${iso(ts)} is before the retention cutoff ${iso(rules.retainFromMs ?? -Infinity)}`;
    case 'negative_duration':
      return `ms_played ${ms}, track_duration_ms ${dur}`;
    case 'overlong_play':
      return `ms_played ${ms} exceeds track_duration_ms ${dur} by more than ${rules.durationToleranceMs} ms`;
    default:
      return rule;
  }
}
