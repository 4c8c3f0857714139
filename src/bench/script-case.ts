/**
 * The ingest and weekly-job benchmarks are scripts of their own (bench/ingest.ts,
 * bench/weekly.ts) that print JSON; this runs one `warmup + runs` times, each in a fresh process,
 * and turns their figures into case results. They need the source tree and tsx; without them the
 * case is reported as skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../util/version.js';
import type { CaseSpec, ScriptCaseSpec } from './case-spec.js';
import type { CaseResult } from './report.js';
import { SCRIPT_SIZES } from './scales.js';
import { summarize } from './stats.js';

/**
 * The files bench/ingest.ts reads: Parquet (Snappy, ZSTD, ids as plain strings) and CSV, on one
 * thread, and the CSV as readEvents reads it by default (`csv_threads`, in byte ranges).
 */
const INGEST_FORMATS = ['parquet', 'parquet_zstd', 'parquet_plain_ids', 'csv', 'csv_threads'] as const;
type IngestRun = { seconds: number; events_per_s: number; peak_rss_mb: number; read_threads?: number };
type IngestOut = { events: number } & Record<(typeof INGEST_FORMATS)[number], IngestRun>;
interface WeeklyOut {
  users: number;
  jobSeconds: number;
  usersPerSecond: number;
  peakRssMb: number;
}

export function runScriptCases(spec: CaseSpec & { body: ScriptCaseSpec }, threads: number): CaseResult[] {
  const root = packageRoot();
  const script = path.join(root, 'bench', `${spec.body.script}.ts`);
  const skipped = (why: string): CaseResult[] => [{ name: spec.name, suite: spec.suite, params: {}, unit: 's', skipped: why }];
  if (!existsSync(script)) return skipped(`${path.relative(root, script)} is not in this installation (run from the source tree)`);
  try {
    createRequire(path.join(root, 'package.json')).resolve('tsx');
  } catch {
    return skipped('tsx is not installed (a development dependency)');
  }
  const size = SCRIPT_SIZES[spec.scale];
  const args =
    spec.body.script === 'ingest'
      ? ['--events', String(size.events)]
      : ['--users', String(size.weeklyUsers), '--tracks', String(size.weeklyTracks), '--threads', String(threads)];
  const outs: unknown[] = [];
  for (let run = 0; run < spec.warmup + spec.runs; run++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 });
    if (r.status !== 0) throw new Error(`${spec.body.script} benchmark failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    if (run >= spec.warmup) outs.push(JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))));
  }
  const params: Record<string, number> =
    spec.body.script === 'ingest' ? { events: size.events } : { users: size.weeklyUsers, tracks: size.weeklyTracks, threads };
  if (spec.body.script === 'ingest') {
    const rows = outs as IngestOut[];
    return INGEST_FORMATS.map((format) => {
      const seconds = summarize(rows.map((o) => o[format].seconds));
      const threads = rows[0][format].read_threads;
      return {
        name: `ingest ${format}`,
        suite: spec.suite,
        params: { ...params, format, ...(threads !== undefined ? { read_threads: threads } : {}) },
        unit: 's (read all events)',
        seconds,
        samples: rows.map((o) => o[format].seconds),
        throughput: { events_per_s: Math.round(rows[0].events / seconds.median) },
        peak_rss_mb: Math.max(...rows.map((o) => Math.round(o[format].peak_rss_mb))),
        rss_scope: 'case',
      } satisfies CaseResult;
    });
  }
  const rows = outs as WeeklyOut[];
  const seconds = summarize(rows.map((o) => o.jobSeconds));
  return [
    {
      name: spec.name,
      suite: spec.suite,
      params,
      unit: 's (weekly job, all users)',
      seconds,
      samples: rows.map((o) => o.jobSeconds),
      throughput: { users_per_s: Math.round(rows[0].users / seconds.median) },
      peak_rss_mb: Math.max(...rows.map((o) => o.peakRssMb)),
      rss_scope: 'case',
    },
  ];
}
