/**
 * The interaction-loading flags shared by train, evaluate and tune: counts files go straight to
 * a matrix; event logs pass through the signals stage (decay, negatives, trust) first.
 */
import type { Command } from 'commander';
import { countsToInteractions, readCounts, readEvents } from '../data/index.js';
import { computeSignals, loadSignalsConfig } from '../signals/index.js';
import type { Interactions } from '../types.js';
import { date, oneOf } from './options.js';

export interface InteractionFlags {
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
  return cmd
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
}

export interface LoadedInteractions {
  interactions: Interactions;
  report: Record<string, unknown>;
}

export async function loadInteractions(f: InteractionFlags): Promise<LoadedInteractions> {
  if (f.format === 'counts') {
    const counts = await readCounts(f.interactions, {
      userCol: f.userCol ?? 'user_id',
      itemCol: f.itemCol ?? 'item_id',
      weightCol: f.weightCol ?? 'weight',
      skipBad: f.skipBad ?? false,
    });
    return { interactions: countsToInteractions(counts), report: { ingest: counts.report } };
  }
  const { log, report: ingest } = await readEvents(f.interactions, {
    ...(f.userCol ? { userCol: f.userCol } : {}),
    ...(f.itemCol ? { itemCol: f.itemCol } : {}),
    ...(f.timeCol ? { timeCol: f.timeCol } : {}),
    skipBad: f.skipBad ?? false,
    strict: f.strict ?? false,
    ...(f.asOf !== undefined ? { asOf: f.asOf } : {}),
  });
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
