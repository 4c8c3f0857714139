/**
 * Corrupt rows: a trickle of every kind, each a damaged copy of a distinct clean play or skip.
 * The row keeps a `flaw` code (1 + index in CORRUPT_KINDS) and a `detail` that says exactly what the
 * CSV writer emits (which id is blank, which unknown kind name, which malformation).
 */
import { EVENT_CODE } from '../types.js';
import { DAY, HOUR } from './clock.js';
import { CORRUPT_KINDS, type CorruptKind, type EventBuffer, FLAW } from './event-buffer.js';
import { Rng } from './rng.js';
import { STREAM } from './streams.js';
import { UNKNOWN_KIND_NAMES } from './vocab.js';

/** How a `malformed_row` is damaged (its detail code indexes this list). */
export const MALFORMED_VARIANTS = ['missing_field', 'extra_field', 'ms_not_a_number', 'ms_with_unit'] as const;
/** Which id a `missing_id` row leaves blank (detail code). */
export const MISSING_ID_VARIANTS = ['user_id', 'track_id'] as const;

const ANCIENT_LIMIT = Date.UTC(2000, 0, 1);

/**
 * Appends `total` corrupt rows (at most one per clean play or skip) spread evenly over all kinds;
 * returns the count per kind.
 */
export function injectCorruption(
  events: EventBuffer,
  total: number,
  seed: number,
  endMs: number,
): Record<CorruptKind, number> {
  const counts = Object.fromEntries(CORRUPT_KINDS.map((k) => [k, 0])) as Record<CorruptKind, number>;
  const clean = events.length;
  let sources = 0;
  for (let i = 0; i < clean; i++) if (events.kind[i] === EVENT_CODE.play || events.kind[i] === EVENT_CODE.skip) sources++;
  // Each corrupt row damages a distinct clean play or skip, so a tiny world caps the count.
  total = Math.min(total, sources);
  if (total === 0) return counts;
  const rng = new Rng(seed, STREAM.corrupt);
  // Even spread; the remainder goes to kinds in a random order.
  const order = rng.permutation(CORRUPT_KINDS.length);
  for (let i = 0; i < CORRUPT_KINDS.length; i++) {
    counts[CORRUPT_KINDS[order[i]]] = Math.floor(total / CORRUPT_KINDS.length) + (i < total % CORRUPT_KINDS.length ? 1 : 0);
  }
  const used = new Set<number>();
  for (const kind of CORRUPT_KINDS) {
    for (let done = 0; done < counts[kind]; done++) {
      let src: number;
      do src = rng.int(clean);
      while (used.has(src) || (events.kind[src] !== EVENT_CODE.play && events.kind[src] !== EVENT_CODE.skip));
      used.add(src);
      const row = events.copyRow(src);
      events.flaw[row] = FLAW[kind];
      const dur = events.durationMs[row];
      switch (kind) {
        case 'negative_duration':
          events.msPlayed[row] = -(1000 + rng.int(Math.max(1, dur)));
          break;
        case 'overlong_play':
          events.msPlayed[row] = dur * (3 + rng.int(10));
          break;
        case 'future_timestamp':
          events.timestamp[row] = endMs + HOUR + Math.floor(rng.float() * 400 * DAY);
          break;
        case 'ancient_timestamp':
          events.timestamp[row] = Math.floor(rng.float() * ANCIENT_LIMIT);
          break;
        case 'missing_id': {
          const d = rng.int(MISSING_ID_VARIANTS.length);
          events.detail[row] = d;
          if (d === 0) events.user[row] = -1;
          else events.track[row] = -1;
          break;
        }
        case 'duplicate_event':
          break;
        case 'unknown_event_kind':
          events.kind[row] = EVENT_CODE.other;
          events.detail[row] = rng.int(UNKNOWN_KIND_NAMES.length);
          break;
        case 'malformed_row': {
          const d = rng.int(MALFORMED_VARIANTS.length);
          events.detail[row] = d;
          if (d >= 2) events.msPlayed[row] = NaN;
          break;
        }
      }
    }
  }
  return counts;
}
