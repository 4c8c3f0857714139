/**
 * The interaction-loading and privacy flags shared by train, evaluate and tune, registered on a
 * commander command; what they mean when reading is in src/config/interaction-source.ts.
 */
import type { Command } from 'commander';
import { createPseudonymizer, loadPseudonymKey, pseudonymKeyCheck } from '../privacy/index.js';
import type { PrivacyFlags } from '../config/interaction-source.js';
import { date, eventAliases, int, isoDate, num, oneOf } from './options.js';

export function addInteractionFlags(cmd: Command): Command {
  cmd
    .requiredOption('--interactions <file>', 'interactions: counts (user_id,item_id,weight) or events (CSV/TSV, Parquet, Arrow)')
    .option('--format <format>', 'counts | events', oneOf('counts', 'events'), 'counts')
    .option('--user-col <name>', 'user id column')
    .option('--item-col <name>', 'item (track) id column')
    .option('--weight-col <name>', 'weight column (counts)');
  addEventColumnFlags(cmd, { ids: false })
    .option('--skip-bad', 'skip malformed rows and count them instead of failing')
    .option('--strict', 'fail on the first row that breaks a validation rule (events)')
    .option('--as-of <date>', 'reference time for decay and validation (events; default: just after the last event, ignoring stray rows dated more than a day past the latest 99.9%)', date)
    .option('--signals <file>', 'signals config (JSON) for events: weights, decay, negatives, anomaly filtering');
  return addPrivacyFlags(cmd);
}

/**
 * Column names of an event log that differ from the schema (user_id, track_id, timestamp, event,
 * ms_played, track_duration_ms, artist_id, context), the threads that read it, and the bounds of
 * two validation rules (--min-date, --duration-tolerance); `ids` adds --user-col and --item-col
 * for commands that do not take them already. Read by `eventColumnOptions`.
 */
export function addEventColumnFlags(cmd: Command, o: { ids: boolean }): Command {
  if (o.ids) cmd.option('--user-col <name>', 'user id column of the events (default user_id)').option('--item-col <name>', 'track id column of the events (default track_id)');
  return cmd
    .option('--time-col <name>', 'timestamp column of the events (default timestamp)')
    .option('--event-col <name>', 'event kind column (default event; without one every row is a play)')
    .option('--ms-played-col <name>', 'milliseconds-played column (default ms_played; without one plays count as heard in full)')
    .option('--duration-col <name>', 'track duration column in ms (default track_duration_ms)')
    .option('--artist-col <name>', 'artist id column (default artist_id)')
    .option('--context-col <name>', 'listening context column (default context)')
    .option('--event-aliases <list>', 'other names of event kinds in the log, e.g. stream=play,skipped=skip,thumbs_down=dislike', eventAliases)
    .option('--read-threads <n>', 'threads that read a large plain CSV/TSV file (events, or counts), each a byte range of it (default: the cores, up to 8; the result is the same)', int(1))
    .option('--min-date <date>', 'events dated before this ISO-8601 date are dropped as ancient_timestamp (default 2000-01-01; older logs set it earlier)', isoDate)
    .option('--duration-tolerance <ms>', 'how far ms_played may exceed track_duration_ms before the row is dropped as overlong_play (default 5000)', num(0));
}

/**
 * --pseudonymize, --key-file and --max-age, plus a pre-action hook that loads the key before any
 * input is read (so a missing key fails at once) and leaves the pseudonymizer in the options as
 * `pseudonymizer`. Spread `ingestPrivacyOptions(flags, format)` into readEvents/readCounts.
 */
export function addPrivacyFlags(cmd: Command): Command {
  return cmd
    .option('--pseudonymize', 'replace user ids at ingest with keyed tokens u_<32 hex> (HMAC-SHA-256); key from MIXTAPE_PSEUDONYM_KEY or --key-file')
    .option('--key-file <file>', 'file holding the pseudonym key (at least 16 bytes; never written to any output)')
    .option('--max-age <days>', 'retention: drop events older than as-of (or now) minus this many days before anything is stored', num(0))
    .hook('preAction', async (_program, action) => {
      const f = action.opts<PrivacyFlags>();
      if (f.keyFile !== undefined && !f.pseudonymize) throw new Error('--key-file is only used with --pseudonymize');
      if (!f.pseudonymize) return;
      const key = await loadPseudonymKey({ keyFile: f.keyFile });
      action.setOptionValue('pseudonymizer', createPseudonymizer(key));
      action.setOptionValue('pseudonymKeyCheck', pseudonymKeyCheck(key));
    });
}
