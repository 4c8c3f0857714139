/**
 * `mixtape bench`: seeded benchmark suites (ALS training, scoring, ingest, the weekly job) at a
 * chosen scale, each case warmed up and run several times, reported with median, range,
 * throughput, % of the sgemm rate of the same run and peak RSS; `--json` keeps the full report.
 * `mixtape bench compare OLD NEW` compares two reports; `--dump` writes a scale's matrix as CSV.
 */
import { readFile } from 'node:fs/promises';
import { checkInputFile } from '../../data/input-file.js';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { compareReports, formatComparison, parseReport } from '../../bench/compare.js';
import { dumpCounts } from '../../bench/dump.js';
import { formatReport } from '../../bench/format.js';
import { SCALES, SUITES, type ScaleName, type SuiteName } from '../../bench/report.js';
import { matrixShape } from '../../bench/scales.js';
import { runSuites } from '../../bench/suite.js';
import { syntheticMatrix } from '../../bench/synthetic-matrix.js';
import { defaultThreads } from '../../util/worker-pool.js';
import { writeTextOutput } from '../../util/gzip-output.js';
import { int, oneOf } from '../options.js';

interface BenchFlags {
  suite: SuiteName | 'all';
  scale: ScaleName;
  runs: number;
  rounds: number;
  threads?: number[];
  json?: string;
  dump?: string;
  only?: string[];
  isolate?: boolean;
}

function threadList(v: string): number[] {
  const list = v.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) throw new InvalidArgumentError(`expected thread counts like 1,2, got '${v}'`);
  return list;
}

export function registerBench(program: Command): void {
  const bench = program
    .command('bench')
    .description('run seeded benchmark suites and report medians, ranges, throughput, % of sgemm and peak RSS')
    .option('--suite <name>', `${SUITES.join('|')}|all`, oneOf<SuiteName | 'all'>(...SUITES, 'all'), 'all')
    .option('--scale <name>', 'small (~1/50), medium (~1/5) or large (100k users × 50k items × 5.13 M nonzeros)', oneOf(...SCALES), 'small')
    .option('--runs <n>', 'timed runs per case after the warm-up (≥ 5 for reported figures)', int(1), 5)
    .option('--rounds <n>', "run the selected cases n times, round after round, and report each case's median round (steadier ratios between cases on a shared machine)", int(1), 1)
    .option('--threads <list>', 'thread counts for the scaling cases (default 1 and all cores)', threadList)
    .option('--only <text...>', 'run only these cases (an exact case name, or text contained in case names)')
    .option('--isolate', 'run each case in its own child process (default for medium and large: per-case peak RSS)')
    .option('--no-isolate', 'run every case in this process')
    .option('--json <file>', 'write the full report (environment, samples, targets) as JSON')
    .option('--dump <file>', "only write the scale's synthetic matrix as a counts CSV and exit")
    .action(async (f: BenchFlags) => {
      if (f.dump) {
        const m = syntheticMatrix(matrixShape(f.scale));
        await dumpCounts(m, f.dump);
        process.stderr.write(`wrote ${m.indices.length} nonzeros (${m.users.size} users × ${m.items.size} items) to ${f.dump}\n`);
        return;
      }
      const cores = defaultThreads();
      const report = await runSuites({
        suites: f.suite === 'all' ? [...SUITES] : [f.suite],
        scale: f.scale,
        runs: f.runs,
        rounds: f.rounds,
        threads: f.threads ?? [...new Set([1, cores])],
        isolate: f.isolate,
        only: f.only,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      if (f.json) await writeTextOutput(f.json, JSON.stringify(report, null, 2) + '\n');
      process.stdout.write(formatReport(report) + '\n');
      if (report.cases.some((c) => c.error)) process.exitCode = 1;
    });

  bench
    .command('compare <old> <new>')
    .description('compare two bench --json reports: per-case ratios, noting where min–max ranges overlap')
    .action(async (oldFile: string, newFile: string) => {
      await checkInputFile(oldFile);
      await checkInputFile(newFile);
      const older = parseReport(await readFile(oldFile, 'utf8'), oldFile);
      const newer = parseReport(await readFile(newFile, 'utf8'), newFile);
      process.stdout.write(formatComparison(compareReports(older, newer), older, newer) + '\n');
    });
}
