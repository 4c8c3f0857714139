/**
 * What a tuning log's trials were scored on: the data, the split, the seed and the content
 * scorers. A resumed run answers trials from the log only when these match, or a log from another
 * dataset (or seed) would hand its scores to this one without a word.
 */
import { createHash } from 'node:crypto';
import type { RunData } from '../eval/run-data.js';
import type { SplitKind } from '../eval/run-split.js';
import type { Scorers } from './objective.js';

export interface RunIdentity {
  /** SHA-256 (first 16 hex digits) of the interactions or events, their shape and the as-of. */
  data: string;
  split: SplitKind;
  seed: number;
  /** The same of the content vectors and artists, or null without a catalog. */
  content: string | null;
}

type Column = ArrayBufferView | undefined;

function digest(parts: readonly (string | number)[], columns: readonly Column[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(parts));
  for (const c of columns) {
    // A marker per column, so a missing optional column cannot shift the next one into its place.
    h.update(c ? `|${c.byteLength}|` : '|-|');
    if (c) h.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  }
  return h.digest('hex').slice(0, 16);
}

function dataDigest(d: RunData): string {
  if (d.kind === 'counts') return digest(['counts', d.users.size, d.items.size], [d.user, d.item, d.weight, d.time]);
  const l = d.log;
  return digest(['events', d.users.size, d.items.size, d.asOf], [l.user, l.track, l.timestamp, l.kind, l.msPlayed, l.durationMs, l.artist, l.context]);
}

export function runIdentity(data: RunData, split: SplitKind, seed: number, scorers: Scorers = {}): RunIdentity {
  const content = scorers.content || scorers.artist ? digest([scorers.content?.dim ?? 0], [scorers.content?.data, scorers.artist]) : null;
  return { data: dataDigest(data), split, seed, content };
}

/** How two identities differ, in words ('' when they are the same run). */
export function identityDifference(logged: RunIdentity, now: RunIdentity): string {
  const out: string[] = [];
  if (logged.data !== now.data) out.push('the data differ');
  if (logged.split !== now.split) out.push(`split ${logged.split} there, ${now.split} here`);
  if (logged.seed !== now.seed) out.push(`seed ${logged.seed} there, ${now.seed} here`);
  if (logged.content !== now.content) out.push(logged.content === null ? 'no catalog there' : now.content === null ? 'no catalog here' : 'the catalog differs');
  return out.join('; ');
}
