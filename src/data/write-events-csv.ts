/** Writes an EventLog as CSV (epoch-ms timestamps), atomically, in batches of rows. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { writeViaTemp } from '../util/atomic.js';
import { EVENT_KINDS, type EventLog, type IdDictionary } from '../types.js';
import { csvField } from '../util/csv-field.js';


function quotedIds(d: IdDictionary): string[] {
  return d.ids.map(csvField);
}

function num(v: number): string {
  return v === v ? String(v) : '';
}

const ROWS_PER_WRITE = 8192;

/** Columns: user_id, track_id, timestamp, event, ms_played, then the optional ones the log has. */
export async function writeEventsCsv(log: EventLog, file: string): Promise<void> {
  const users = quotedIds(log.users);
  const tracks = quotedIds(log.tracks);
  const artists = log.artist && log.artists ? quotedIds(log.artists) : null;
  const contexts = log.context && log.contexts ? quotedIds(log.contexts) : null;
  const header = ['user_id', 'track_id', 'timestamp', 'event', 'ms_played'];
  if (log.durationMs) header.push('track_duration_ms');
  if (artists) header.push('artist_id');
  if (contexts) header.push('context');
  await writeViaTemp(file, async (tmp) => {
    const out = createWriteStream(tmp);
    let buf = `${header.join(',')}\n`;
    for (let start = 0; start < log.length; start += ROWS_PER_WRITE) {
      const end = Math.min(log.length, start + ROWS_PER_WRITE);
      for (let i = start; i < end; i++) {
        let line = `${users[log.user[i]]},${tracks[log.track[i]]},${log.timestamp[i]},${EVENT_KINDS[log.kind[i]] ?? 'other'},${num(log.msPlayed[i])}`;
        if (log.durationMs) line += `,${num(log.durationMs[i])}`;
        if (artists) line += `,${log.artist![i] >= 0 ? artists[log.artist![i]] : ''}`;
        if (contexts) line += `,${log.context![i] >= 0 ? contexts[log.context![i]] : ''}`;
        buf += `${line}\n`;
      }
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
    if (buf) out.write(buf);
    out.end();
    await finished(out);
  });
}
