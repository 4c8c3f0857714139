/**
 * The value rules every event passes (whatever file format it came from) and the growable
 * columnar store of the events that pass. Duplicate detection hashes the four typed values
 * (user, track, timestamp, kind) of stored events; no strings are built.
 */
import type { EventLog, IdDictionary } from '../types.js';
import type { EventRule } from './ingest-report.js';

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

function grownInt32(a: Int32Array, n: number): Int32Array {
  const g = new Int32Array(n);
  g.set(a);
  return g;
}
function grownFloat32(a: Float32Array, n: number): Float32Array {
  const g = new Float32Array(n);
  g.set(a);
  return g;
}

/** Hash of an event's identity: user, track, timestamp (epoch ms) and kind. */
function eventHash(u: number, t: number, ts: number, kind: number): number {
  const tsLo = ts >>> 0; // ToUint32 wraps integers exactly; a fraction only weakens the hash
  const tsHi = (ts / 4294967296) | 0;
  let h = Math.imul(u, 0x9e3779b1) ^ Math.imul(t + 0x7f4a7c15, 0x85ebca6b);
  h = Math.imul(h ^ tsLo, 0xc2b2ae35) ^ Math.imul(tsHi ^ (kind << 24), 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
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
  /** Duplicate index: slot → event index + 1, 0 when empty. */
  private slots: Int32Array;
  private mask: number;
  private readonly maxTs: number;
  private readonly minTs: number;

  constructor(
    private readonly rules: EventRuleOptions,
    columns: OptionalColumns,
    capacityHint = 1024,
  ) {
    const cap = Math.max(16, Math.ceil(capacityHint));
    this.capacity = cap;
    this.user = new Int32Array(cap);
    this.track = new Int32Array(cap);
    this.timestamp = new Float64Array(cap);
    this.kind = new Uint8Array(cap);
    this.msPlayed = new Float32Array(cap);
    if (columns.duration) this.durationMs = new Float32Array(cap);
    if (columns.artist) this.artist = new Int32Array(cap);
    if (columns.context) this.context = new Int32Array(cap);
    let slots = 1024;
    while (slots < cap * 2) slots *= 2;
    this.slots = new Int32Array(slots);
    this.mask = slots - 1;
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

  /** Stores an event; false (and nothing stored) when it duplicates a stored one. */
  push(u: number, t: number, ts: number, kind: number, ms: number, dur: number, artist: number, context: number): boolean {
    const n = this.length;
    const h = eventHash(u, t, ts, kind);
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const e = slots[slot];
      if (e === 0) break;
      const j = e - 1;
      if (this.user[j] === u && this.track[j] === t && this.timestamp[j] === ts && this.kind[j] === kind) return false;
      slot = (slot + 1) & mask;
    }
    if (n === this.capacity) this.grow();
    this.user[n] = u;
    this.track[n] = t;
    this.timestamp[n] = ts;
    this.kind[n] = kind;
    this.msPlayed[n] = ms;
    if (this.durationMs) this.durationMs[n] = dur;
    if (this.artist) this.artist[n] = artist;
    if (this.context) this.context[n] = context;
    this.length = n + 1;
    slots[slot] = n + 1;
    if (this.length * 2 > slots.length) this.rehash();
    return true;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    this.user = grownInt32(this.user, cap);
    this.track = grownInt32(this.track, cap);
    const ts = new Float64Array(cap);
    ts.set(this.timestamp);
    this.timestamp = ts;
    const kind = new Uint8Array(cap);
    kind.set(this.kind);
    this.kind = kind;
    this.msPlayed = grownFloat32(this.msPlayed, cap);
    if (this.durationMs) this.durationMs = grownFloat32(this.durationMs, cap);
    if (this.artist) this.artist = grownInt32(this.artist, cap);
    if (this.context) this.context = grownInt32(this.context, cap);
    this.capacity = cap;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let j = 0; j < this.length; j++) {
      let slot = eventHash(this.user[j], this.track[j], this.timestamp[j], this.kind[j]) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = j + 1;
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
    const trim = <T extends Int32Array | Float32Array | Float64Array | Uint8Array>(a: T): T =>
      (a.length === n ? a : view ? a.subarray(0, n) : a.slice(0, n)) as T;
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
