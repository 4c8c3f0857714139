/**
 * generateWorld: a seeded synthetic listening world — catalog, users with planted tastes, genuine
 * listening, optional bot farms and corrupt rows — held columnar in memory with its truth.
 */
import { Dictionary } from '../data/dictionary.js';
import type { EventLog } from '../types.js';
import { type SyntheticCatalog, buildCatalog } from './catalog.js';
import { WEEK, dateToMs } from './clock.js';
import { injectCorruption } from './corrupt.js';
import { EventBuffer } from './event-buffer.js';
import { type FarmPlan, planFarms } from './farms.js';
import { simulateBots } from './bots.js';
import { simulateListeners } from './listening.js';
import { type GenerateOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { type Population, buildPopulation } from './population.js';
import { type SamplingTables, buildTables } from './tables.js';
import { orderByTime } from './time-order.js';
import { type Truth, buildTruth, countKinds } from './truth.js';
import { DEVICES, REGIONS } from './vocab.js';

/**
 * Every row of events.csv, columnar and sorted by timestamp (stable). Shaped like an EventLog, with
 * two extra columns describing injected corruption. Only rows with flaw `missing_id` may hold -1
 * in `user` or `track`; use worldToEventLog for a clean EventLog.
 */
export interface WorldEvents extends EventLog {
  readonly users: Dictionary;
  readonly tracks: Dictionary;
  readonly durationMs: Float32Array;
  readonly artist: Int32Array;
  readonly artists: Dictionary;
  readonly context: Int32Array;
  readonly contexts: Dictionary;
  /** 0 for a clean row, else 1 + index into CORRUPT_KINDS. */
  readonly flaw: Uint8Array;
  /** Which variant of its flaw a corrupt row has (see corrupt.ts); 0 for clean rows. */
  readonly detail: Uint8Array;
}

export interface World {
  readonly options: ResolvedOptions;
  /** Start of week 0 and end of the last week (exclusive), epoch ms. */
  readonly startMs: number;
  readonly endMs: number;
  readonly catalog: SyntheticCatalog;
  readonly tables: SamplingTables;
  /** Accounts with planted state; indices are the same as in events.users. */
  readonly population: Population;
  readonly farms: readonly FarmPlan[];
  readonly events: WorldEvents;
  readonly truth: Truth;
}

// One gather per element type keeps each loop monomorphic (a generic one is several times slower).
function gatherI32(src: Int32Array, order: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = src[order[i]];
  return out;
}
function gatherF64(src: Float64Array, order: Int32Array): Float64Array {
  const out = new Float64Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = src[order[i]];
  return out;
}
function gatherF32(src: Float32Array, order: Int32Array): Float32Array {
  const out = new Float32Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = src[order[i]];
  return out;
}
function gatherU8(src: Uint8Array, order: Int32Array): Uint8Array {
  const out = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = src[order[i]];
  return out;
}

/** Generates a world. Same options (seed included) ⇒ identical world. */
export function generateWorld(options: GenerateOptions = {}): World {
  const o = resolveOptions(options);
  const startMs = dateToMs(o.start);
  const endMs = startMs + o.weeks * WEEK;
  const catalog = buildCatalog(o);
  const tables = buildTables(o, catalog);
  const population = buildPopulation(o, catalog, tables);
  const farms = planFarms(o, catalog, population);

  const bots = population.count - population.genuine;
  const estimate = o.users * o.weeks * 50 + bots * o.bots.playsPerDay * o.weeks * 7 + o.corruptRows;
  const buffer = new EventBuffer(Math.min(estimate, 1 << 26));
  const ctx = { o, catalog, population, tables, startMs, endMs, events: buffer };
  simulateListeners(ctx);
  const genuineEvents = buffer.length;
  simulateBots(ctx, farms);
  const botEvents = buffer.length - genuineEvents;
  const corrupt = injectCorruption(buffer, o.corruptRows, o.seed, endMs);

  const n = buffer.length;
  const order = orderByTime(buffer.timestamp, n, startMs, endMs);
  const contexts = Dictionary.from(DEVICES.flatMap((d) => REGIONS.map((r) => `${d}:${r.id}`)));
  // Gather column by column, releasing each buffer column once copied, to keep peak memory near one copy.
  const b = buffer.release();
  const timestamp = gatherF64(b.timestamp!, order);
  b.timestamp = null;
  const user = gatherI32(b.user!, order);
  b.user = null;
  const track = gatherI32(b.track!, order);
  b.track = null;
  const artist = gatherI32(b.artist!, order);
  b.artist = null;
  const context = gatherI32(b.context!, order);
  b.context = null;
  const msPlayed = gatherF32(b.msPlayed!, order);
  b.msPlayed = null;
  const durationMs = gatherF32(b.durationMs!, order);
  b.durationMs = null;
  const kind = gatherU8(b.kind!, order);
  const flaw = gatherU8(b.flaw!, order);
  const detail = gatherU8(b.detail!, order);
  const events: WorldEvents = {
    length: n,
    users: population.ids,
    tracks: catalog.tracks,
    artists: catalog.artists,
    contexts,
    user,
    track,
    artist,
    timestamp,
    kind,
    msPlayed,
    durationMs,
    context,
    flaw,
    detail,
  };
  const truth = buildTruth({
    o,
    startMs,
    catalog,
    tables,
    population,
    farms,
    corrupt,
    kindCounts: countKinds(events.kind, n),
    genuineEvents,
    botEvents,
  });
  return { options: o, startMs, endMs, catalog, tables, population, farms, events, truth };
}

/**
 * The world's events as a clean EventLog: injected corrupt rows are left out (they are only in
 * world.events and events.csv). Shares arrays with world.events when there is nothing to drop.
 */
export function worldToEventLog(world: World): EventLog {
  const e = world.events;
  let keep = 0;
  for (let i = 0; i < e.length; i++) if (e.flaw[i] === 0) keep++;
  if (keep === e.length) {
    return {
      length: e.length,
      users: e.users,
      tracks: e.tracks,
      user: e.user,
      track: e.track,
      timestamp: e.timestamp,
      kind: e.kind,
      msPlayed: e.msPlayed,
      durationMs: e.durationMs,
      artist: e.artist,
      artists: e.artists,
      context: e.context,
      contexts: e.contexts,
    };
  }
  const rows = new Int32Array(keep);
  for (let i = 0, k = 0; i < e.length; i++) if (e.flaw[i] === 0) rows[k++] = i;
  return {
    length: keep,
    users: e.users,
    tracks: e.tracks,
    user: gatherI32(e.user, rows),
    track: gatherI32(e.track, rows),
    timestamp: gatherF64(e.timestamp, rows),
    kind: gatherU8(e.kind, rows),
    msPlayed: gatherF32(e.msPlayed, rows),
    durationMs: gatherF32(e.durationMs, rows),
    artist: gatherI32(e.artist, rows),
    artists: e.artists,
    context: gatherI32(e.context, rows),
    contexts: e.contexts,
  };
}
