/**
 * The interaction-loading and privacy flags shared by train, evaluate and tune, registered on a
 * commander command; what they mean when reading is in src/config/interaction-source.ts.
 */
import type { Command } from 'commander';
import { createPseudonymizer, loadPseudonymKey } from '../privacy/index.js';
import type { PrivacyFlags } from '../config/interaction-source.js';
import { date, num, oneOf } from './options.js';

export function addInteractionFlags(cmd: Command): Command {
  cmd
    .requiredOption('--interactions <file>', 'interactions: counts (user_id,item_id,weight) or events (CSV/TSV, Parquet, Arrow)')
    .option('--format <format>', 'counts | events', oneOf('counts', 'events'), 'counts')
    .option('--user-col <name>', 'user id column')
    .option('--item-col <name>', 'item (track) id column')
    .option('--weight-col <name>', 'weight column (counts)')
    .option('--time-col <name>', 'timestamp column (events)')
    .option('--skip-bad', 'skip malformed rows and count them instead of failing')
    .option('--strict', 'fail on the first row that breaks a validation rule (events)')
    .option('--as-of <date>', 'reference time for decay and validation (events; default: just after the last event, ignoring stray rows dated more than a day past the latest 99.9%)', date)
    .option('--signals <file>', 'signals config (JSON) for events: weights, decay, negatives, anomaly filtering');
  return addPrivacyFlags(cmd);
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
      if (f.pseudonymize) action.setOptionValue('pseudonymizer', createPseudonymizer(await loadPseudonymKey({ keyFile: f.keyFile })));
    });
}
