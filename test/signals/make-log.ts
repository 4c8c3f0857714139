/** Test helper: build an EventLog from rows (or row-by-row through a builder). */
import { Dictionary } from '../../src/data/dictionary.js';
import { EVENT_CODE, type EventKind, type EventLog } from '../../src/types.js';

export interface Row {
  user: string;
  track: string;
  /** epoch ms */
  ts: number;
  kind: EventKind;
  /** ms played; NaN / omitted when unknown */
  ms?: number;
  /** track duration ms; omitted when unknown */
  duration?: number;
  artist?: string;
}

/** Accumulates events column by column, then freezes them into an EventLog. */
export class LogBuilder {
  private readonly users = new Dictionary();
  private readonly tracks = new Dictionary();
  private readonly artists = new Dictionary();
  private readonly user: number[] = [];
  private readonly track: number[] = [];
  private readonly ts: number[] = [];
  private readonly kind: number[] = [];
  private readonly ms: number[] = [];
  private readonly duration: number[] = [];
  private readonly artist: number[] = [];
  private withArtists = false;

  /** Register a user without events (so it has a row in the outputs). */
  addUser(id: string): number {
    return this.users.intern(id);
  }

  add(user: string, track: string, ts: number, kind: EventKind, ms = Number.NaN, duration = Number.NaN, artist?: string): void {
    this.user.push(this.users.intern(user));
    this.track.push(this.tracks.intern(track));
    this.ts.push(ts);
    this.kind.push(EVENT_CODE[kind]);
    this.ms.push(ms);
    this.duration.push(duration);
    if (artist !== undefined) this.withArtists = true;
    this.artist.push(artist === undefined ? -1 : this.artists.intern(artist));
  }

  build(): EventLog {
    return {
      length: this.user.length,
      users: this.users,
      tracks: this.tracks,
      user: Int32Array.from(this.user),
      track: Int32Array.from(this.track),
      timestamp: Float64Array.from(this.ts),
      kind: Uint8Array.from(this.kind),
      msPlayed: Float32Array.from(this.ms),
      durationMs: Float32Array.from(this.duration),
      ...(this.withArtists ? { artist: Int32Array.from(this.artist), artists: this.artists } : {}),
    };
  }
}

export function makeLog(rows: readonly Row[]): EventLog {
  const b = new LogBuilder();
  for (const r of rows) b.add(r.user, r.track, r.ts, r.kind, r.ms ?? Number.NaN, r.duration ?? Number.NaN, r.artist);
  return b.build();
}
