/**
 * The interaction-loading flags shared by train, evaluate and tune: counts files go straight to
 * a matrix; event logs pass through the signals stage (decay, negatives, trust) first.
 */
import type { Command } from 'commander';
import { countsToInteractions, readCounts, readEvents, type ReadCountsOptions, type ReadEventsOptions } from '../data/index.js';
import { createPseudonymizer, loadPseudonymKey, type Pseudonymizer } from '../privacy/index.js';
import { computeSignals, loadSignalsConfig } from '../signals/index.js';
import type { Interactions } from '../types.js';
import { date, num, oneOf } from './options.js';

export interface InteractionFlags extends PrivacyFlags {
  interactions: string;
  format: 'counts' | 'events';
  userCol?: string;
  itemCol?: string;
  weightCol?: string;
  timeCol?: string;
  skipBad?: boolean;
  strict?: boolean;
  asOf?: number;
  signals?: string;
}

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
    .option('--as-of <date>', 'reference time for decay and validation (events; default: the last event)', date)
    .option('--signals <file>', 'signals config (JSON) for events: weights, decay, negatives, anomaly filtering');
  return addPrivacyFlags(cmd);
}

/** The privacy and retention flags a command that reads raw user ids takes. */
export interface PrivacyFlags {
  pseudonymize?: boolean;
  keyFile?: string;
  /** Retention in days. */
  maxAge?: number;
  /** Set by addPrivacyFlags' pre-action hook when --pseudonymize is given and the key loaded. */
  pseudonymizer?: Pseudonymizer;
}

const DAY_MS = 86_400_000;

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

/**
 * readEvents/readCounts options from the privacy flags. Counts carry no timestamps, so retention
 * cannot apply to them: --max-age with a counts file is an error rather than a silent no-op.
 */
export function ingestPrivacyOptions(f: PrivacyFlags, format: 'counts' | 'events' = 'events'): { pseudonymize?: Pseudonymizer; maxAgeMs?: number } {
  if (f.pseudonymize && !f.pseudonymizer) throw new Error('--pseudonymize: the key was not loaded (register the flags with addPrivacyFlags)');
  if (f.maxAge !== undefined && format === 'counts') throw new Error('--max-age needs timestamps: it applies to event logs (--format events), not counts files');
  return {
    ...(f.pseudonymizer ? { pseudonymize: f.pseudonymizer } : {}),
    ...(f.maxAge !== undefined ? { maxAgeMs: f.maxAge * DAY_MS } : {}),
  };
}

export interface LoadedInteractions {
  interactions: Interactions;
  report: Record<string, unknown>;
}

/** readCounts options from the shared flags (the counts defaults: user_id, item_id, weight). */
export function countsReadOptions(f: Omit<InteractionFlags, 'signals'>): ReadCountsOptions & Required<Pick<ReadCountsOptions, 'userCol' | 'itemCol' | 'weightCol'>> {
  return {
    userCol: f.userCol ?? 'user_id',
    itemCol: f.itemCol ?? 'item_id',
    weightCol: f.weightCol ?? 'weight',
    skipBad: f.skipBad ?? false,
    ...ingestPrivacyOptions(f, 'counts'),
  };
}

/** readEvents options from the shared flags. */
export function eventsReadOptions(f: Omit<InteractionFlags, 'signals'>): ReadEventsOptions {
  return {
    ...(f.userCol ? { userCol: f.userCol } : {}),
    ...(f.itemCol ? { itemCol: f.itemCol } : {}),
    ...(f.timeCol ? { timeCol: f.timeCol } : {}),
    skipBad: f.skipBad ?? false,
    strict: f.strict ?? false,
    ...(f.asOf !== undefined ? { asOf: f.asOf } : {}),
    ...ingestPrivacyOptions(f, 'events'),
  };
}

export async function loadInteractions(f: InteractionFlags): Promise<LoadedInteractions> {
  if (f.format === 'counts') {
    const counts = await readCounts(f.interactions, countsReadOptions(f));
    return { interactions: countsToInteractions(counts), report: { ingest: counts.report } };
  }
  const { log, report: ingest } = await readEvents(f.interactions, eventsReadOptions(f));
  const asOf = f.asOf ?? lastTimestamp(log.timestamp) + 1;
  const config = f.signals ? await loadSignalsConfig(f.signals) : undefined;
  const { interactions, report } = computeSignals(log, { asOf, config });
  return { interactions, report: { ingest, signals: report } };
}

function lastTimestamp(ts: Float64Array): number {
  let last = 0;
  for (let i = 0; i < ts.length; i++) if (ts[i] > last) last = ts[i];
  return last;
}
