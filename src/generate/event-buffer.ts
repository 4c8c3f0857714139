/** A growable columnar event buffer (typed arrays doubled on demand; no per-event objects). */

/** Corruption kinds, as recorded in truth.corrupt; a row's `flaw` is 1 + the index here (0 = clean). */
export const CORRUPT_KINDS = [
  'negative_duration',
  'overlong_play',
  'future_timestamp',
  'ancient_timestamp',
  'missing_id',
  'duplicate_event',
  'unknown_event_kind',
  'malformed_row',
] as const;
export type CorruptKind = (typeof CORRUPT_KINDS)[number];
export const FLAW: Readonly<Record<CorruptKind, number>> = Object.freeze(
  Object.fromEntries(CORRUPT_KINDS.map((k, i) => [k, i + 1])) as Record<CorruptKind, number>,
);

export class EventBuffer {
  length = 0;
  user: Int32Array;
  track: Int32Array;
  artist: Int32Array;
  timestamp: Float64Array;
  kind: Uint8Array;
  msPlayed: Float32Array;
  durationMs: Float32Array;
  context: Int32Array;
  flaw: Uint8Array;
  detail: Uint8Array;

  constructor(capacity = 1024) {
    const n = Math.max(16, capacity);
    this.user = new Int32Array(n);
    this.track = new Int32Array(n);
    this.artist = new Int32Array(n);
    this.timestamp = new Float64Array(n);
    this.kind = new Uint8Array(n);
    this.msPlayed = new Float32Array(n);
    this.durationMs = new Float32Array(n);
    this.context = new Int32Array(n);
    this.flaw = new Uint8Array(n);
    this.detail = new Uint8Array(n);
  }

  private grow(): void {
    const n = this.user.length * 2;
    const g = <T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.user = g(this.user, (k) => new Int32Array(k));
    this.track = g(this.track, (k) => new Int32Array(k));
    this.artist = g(this.artist, (k) => new Int32Array(k));
    this.timestamp = g(this.timestamp, (k) => new Float64Array(k));
    this.kind = g(this.kind, (k) => new Uint8Array(k));
    this.msPlayed = g(this.msPlayed, (k) => new Float32Array(k));
    this.durationMs = g(this.durationMs, (k) => new Float32Array(k));
    this.context = g(this.context, (k) => new Int32Array(k));
    this.flaw = g(this.flaw, (k) => new Uint8Array(k));
    this.detail = g(this.detail, (k) => new Uint8Array(k));
  }

  /**
   * Hands the columns over (the caller may drop each one when done with it) and empties the buffer.
   * Columns may be longer than the row count.
   */
  release(): {
    user: Int32Array | null;
    track: Int32Array | null;
    artist: Int32Array | null;
    timestamp: Float64Array | null;
    kind: Uint8Array | null;
    msPlayed: Float32Array | null;
    durationMs: Float32Array | null;
    context: Int32Array | null;
    flaw: Uint8Array | null;
    detail: Uint8Array | null;
  } {
    const out = {
      user: this.user as Int32Array | null,
      track: this.track as Int32Array | null,
      artist: this.artist as Int32Array | null,
      timestamp: this.timestamp as Float64Array | null,
      kind: this.kind as Uint8Array | null,
      msPlayed: this.msPlayed as Float32Array | null,
      durationMs: this.durationMs as Float32Array | null,
      context: this.context as Int32Array | null,
      flaw: this.flaw as Uint8Array | null,
      detail: this.detail as Uint8Array | null,
    };
    const empty = new EventBuffer(16);
    this.user = empty.user;
    this.track = empty.track;
    this.artist = empty.artist;
    this.timestamp = empty.timestamp;
    this.kind = empty.kind;
    this.msPlayed = empty.msPlayed;
    this.durationMs = empty.durationMs;
    this.context = empty.context;
    this.flaw = empty.flaw;
    this.detail = empty.detail;
    this.length = 0;
    return out;
  }

  /** Appends one clean event; returns its row. */
  push(
    user: number,
    track: number,
    artist: number,
    timestamp: number,
    kind: number,
    msPlayed: number,
    durationMs: number,
    context: number,
  ): number {
    if (this.length === this.user.length) this.grow();
    const i = this.length++;
    this.user[i] = user;
    this.track[i] = track;
    this.artist[i] = artist;
    this.timestamp[i] = timestamp;
    this.kind[i] = kind;
    this.msPlayed[i] = msPlayed;
    this.durationMs[i] = durationMs;
    this.context[i] = context;
    this.flaw[i] = 0;
    this.detail[i] = 0;
    return i;
  }

  /** Appends a copy of row `from`; returns the new row. */
  copyRow(from: number): number {
    const i = this.push(
      this.user[from],
      this.track[from],
      this.artist[from],
      this.timestamp[from],
      this.kind[from],
      this.msPlayed[from],
      this.durationMs[from],
      this.context[from],
    );
    this.flaw[i] = this.flaw[from];
    this.detail[i] = this.detail[from];
    return i;
  }
}
