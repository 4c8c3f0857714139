/**
 * One unit of the weekly job as a task: a shard of users [begin, end), run by a pool worker or on
 * the calling thread, with its output rows and archive lines encoded where it ran.
 */
import { injectFault } from '../util/test-fault.js';
import { encodeRows, type EncodedRows, type OutputFormat } from './output.js';
import { gzipMemberSync } from '../util/gzip-output.js';
import type { ReasonNames } from './reasons.js';
import { RowEncoder } from './row-encoder.js';
import { toBatch } from './rows.js';
import type { ShardResult, ShardRunner } from './shard.js';
import type { PlaylistTables, ShardSettings } from './tables.js';

export interface ShardTask {
  tables: PlaylistTables;
  settings: ShardSettings;
  /** Shard number (names the shard in errors and the fault hook). */
  shard: number;
  /** 0 for the first try, 1 for the retry. */
  attempt: number;
  begin: number;
  end: number;
  encode?: { format?: OutputFormat; week: string; archive: boolean; /** Text rows as a gzip member (an output named .gz). */ gzip?: boolean };
}

export interface WorkerNames {
  userIds: readonly string[];
  names: ReasonNames;
}

export interface WorkerResult extends ShardResult {
  encoded?: EncodedRows;
  /** UTF-8 archive lines (user_id,track_id) of the shard. */
  archiveBytes?: Uint8Array;
}

const utf8 = new TextEncoder();
/** One row encoder per id dictionaries (per worker): its per-track fields are built once. */
const encoders = new WeakMap<WorkerNames, RowEncoder>();

export async function runShardTask(runner: ShardRunner, task: ShardTask, names: WorkerNames | undefined): Promise<WorkerResult> {
  injectFault('weekly', task, `weekly shard ${task.shard}`);
  await runner.prepare(task.tables, task.settings);
  const users = new Int32Array(task.end - task.begin);
  for (let i = 0; i < users.length; i++) users[i] = task.begin + i;
  const r: WorkerResult = runner.run(task.tables, task.settings, users);
  const e = task.encode;
  if (e && (e.format || e.archive)) {
    if (!names) throw new Error('weekly: encoding a shard needs the id dictionaries');
    const t0 = runner.now();
    let enc = encoders.get(names);
    if (!enc) encoders.set(names, (enc = new RowEncoder(names.userIds, names.names)));
    let rows = 0;
    for (let i = 0; i < users.length; i++) rows += r.count[i];
    if (e.format === 'csv') r.encoded = { rows, bytes: utf8.encode(enc.csv(r, e.week)) };
    else if (e.format === 'jsonl') r.encoded = { rows, bytes: utf8.encode(enc.jsonl(r, e.week)) };
    else if (e.format === 'parquet') r.encoded = encodeRows(toBatch(r, names.userIds, names.names), e.week, 'parquet');
    if (e.gzip && r.encoded && e.format !== 'parquet') r.encoded = { rows, bytes: gzipMemberSync(r.encoded.bytes) };
    if (e.archive) r.archiveBytes = utf8.encode(enc.archive(r));
    r.seconds.encode = (runner.now() - t0) / 1000;
  }
  return r;
}
