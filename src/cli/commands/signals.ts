/**
 * `mixtape signals`: read an event log, turn it into trustworthy signals as of a date, and write
 * the signals report (accounts with trust < 1 and why, flagged tracks, ingest validation counts).
 */
import type { Command } from 'commander';
import { readEvents, type IngestReport } from '../../data/index.js';
import { formatSignalsSummary, loadSignalsConfig, type SignalsProgress, type SignalsReport } from '../../signals/index.js';
import { computeSignalsAsync } from '../../signals/off-thread.js';
import { writeTextOutput } from '../../util/gzip-output.js';
import { eventColumnOptions, ingestPrivacyOptions, type EventColumnFlags, type PrivacyFlags } from '../../config/interaction-source.js';
import { addEventColumnFlags, addPrivacyFlags } from '../load-interactions.js';
import { date, int } from '../options.js';
import { readProgress, signalsProgress } from '../progress.js';
import type { OnReadProgress } from '../../data/read-progress.js';
import { formatIngestLine, ingestJson } from '../ingest-summary.js';

interface SignalsFlags extends PrivacyFlags, EventColumnFlags {
  events: string;
  asOf: number;
  config?: string;
  report: string;
  strict?: boolean;
  skipBad?: boolean;
  json?: boolean;
  threads?: number;
}

/**
 * Read, validate and compute signals; the report carries the ingest rule counts as `validation`
 * and what was read (rows, timestamp format) as `ingest`.
 */
export async function signalsReportForFile(
  f: Omit<SignalsFlags, 'report' | 'json'>,
  onProgress?: OnReadProgress,
  onSignalsProgress?: (p: SignalsProgress) => void,
): Promise<{ report: SignalsReport; ingest: IngestReport }> {
  // The config is checked before the (possibly long) read so a typo fails at once.
  const config = f.config ? loadSignalsConfig(f.config) : undefined;
  const { log, report: ingest } = await readEvents(f.events, {
    ...eventColumnOptions(f),
    sharedColumns: true,
    ...(onProgress ? { onProgress } : {}),
    asOf: f.asOf,
    strict: f.strict ?? false,
    skipBad: f.skipBad ?? false,
    ...ingestPrivacyOptions(f, 'events'),
  });
  // Off this thread, reading the shared columns in place (see loadInteractions).
  const { report } = await computeSignalsAsync(log, {
    asOf: f.asOf,
    config,
    validation: ingest.validation,
    ...(onSignalsProgress ? { onProgress: onSignalsProgress } : {}),
    ...(f.threads ? { threads: f.threads } : {}),
  });
  return { report, ingest };
}

export function registerSignals(program: Command): void {
  const cmd = program
    .command('signals')
    .description('compute signals from an event log (decay, negatives, account trust) and write the signals report')
    .requiredOption('--events <file>', 'event log (CSV/TSV, Parquet, Arrow)')
    .requiredOption('--as-of <date>', 'reference time: later events are future_timestamp; decay is measured from it', date)
    .option('--config <file>', 'signals config (JSON): weights, decay, negatives, anomaly filtering')
    .requiredOption('--report <file>', 'signals report to write (JSON, replaced atomically)')
    .option('--strict', 'fail on the first row that breaks a validation rule, naming file:line and the rule')
    .option('--skip-bad', 'skip malformed rows and count them instead of failing')
    .option('--threads <n>', 'threads of the stage (default: usable cores, at most 4, for a log of 2^20 events or more, else one)', int(1))
    .option('--json', 'print the report JSON instead of the summary');
  addPrivacyFlags(addEventColumnFlags(cmd, { ids: true })).action(async (f: SignalsFlags) => {
      const reading = readProgress('reading', !!f.json);
      const weighing = signalsProgress(!!f.json);
      const { report, ingest } = await signalsReportForFile(f, reading.onProgress, (p) => {
        reading.stop();
        weighing.update(p);
      }).finally(() => {
        reading.stop();
        weighing.stop();
      });
      const json = JSON.stringify({ ...report, ingest: ingestJson(ingest) }, null, 2) + '\n';
      await writeTextOutput(f.report, json);
      process.stdout.write(f.json ? json : `${formatIngestLine(ingest)}\n${formatSignalsSummary(report)}\n`);
    });
}
