/**
 * `mixtape tune`: search ALS parameters (and the decay half-life, hybrid weights and re-ranking
 * knobs) on a validation split carved from the training part, under a time budget, resumable from
 * its JSONL log; writes the best configuration as a run-config file for `train|evaluate --config`.
 */
import { writeFileAtomic } from '../../util/atomic.js';
import { setInterruptNote } from '../interrupt.js';
import type { Command } from 'commander';
import { readProgress } from '../progress.js';
import { formatRunConfig } from '../../config/run-config.js';
import { buildContentModel } from '../../content/content-model.js';
import { readCatalog } from '../../data/catalog.js';
import { alignContent } from '../../eval/hybrid-ranker.js';
import { RunLock } from '../../util/run-lock.js';
import { loadRunData } from '../../eval/run-data.js';
import type { SplitKind } from '../../eval/run-split.js';
import { parseDuration } from '../../tune/duration.js';
import { runTune } from '../../tune/search.js';
import type { Scorers } from '../../tune/objective.js';
import type { InteractionFlags } from '../../config/interaction-source.js';
import { addInteractionFlags } from '../load-interactions.js';
import { int, num, oneOf } from '../options.js';
import { formatIngestLine, ingestJson } from '../ingest-summary.js';

interface TuneFlags extends InteractionFlags {
  split: SplitKind;
  minWeight?: number;
  catalog?: string;
  budget: string;
  log: string;
  out: string;
  resume?: boolean;
  seed: number;
  iterations: number;
  trials?: number;
  threads?: number;
  json?: boolean;
}

export function registerTune(program: Command): void {
  const cmd = program.command('tune').description('search training, signals, hybrid and re-ranking parameters on a validation split under a time budget');
  addInteractionFlags(cmd)
    .option('--split <kind>', 'protocol whose training part is split again for validation: random | temporal | users', oneOf('random', 'temporal', 'users'), 'random')
    .option('--min-weight <w>', 'counts: drop rows with weight below w before splitting', num())
    .option('--catalog <file>', 'track catalog: also tune the hybrid content weight')
    .option('--budget <duration>', 'wall-clock budget, e.g. 90s, 10m, 1h', '10m')
    .option('--trials <n>', 'at most n CF-search trials after the defaults, logged ones included (the same trials on any machine when the budget is ample)', int(0))
    .requiredOption('--log <file>', 'JSONL log of every trial (read back with --resume)')
    .requiredOption('--out <file>', 'write the best configuration here (a run-config file)')
    .option('--resume', 'answer trials already in the log from it instead of training again')
    .option('--seed <s>', 'seed of the splits and the search', int(0), 42)
    .option('--iterations <n>', 'full ALS iterations (the top rung of successive halving)', int(2), 15)
    .option('--threads <n>', 'worker threads (default: usable cores)', int(1))
    .option('--json', 'print the outcome as one JSON object')
    .action(async (f: TuneFlags) => {
      const budgetMs = parseDuration(f.budget);
      // Another run writing this log is found now, not after the data is read (runTune takes the lock).
      await RunLock.check(f.log, 'tune run');
      const reading = readProgress('reading', !!f.json);
      const data = await loadRunData({ ...f, progress: reading.onProgress }).finally(reading.stop);
      if (!f.json) process.stderr.write(formatIngestLine(data.ingest) + '\n');
      let scorers: Scorers | undefined;
      if (f.catalog) {
        const catalog = await readCatalog(f.catalog);
        const content = alignContent(buildContentModel(catalog), data.items);
        const artist = new Int32Array(data.items.size).fill(-1);
        for (let i = 0; i < data.items.size; i++) {
          const t = catalog.tracks.get(data.items.ids[i]);
          if (t !== undefined) artist[i] = catalog.trackArtist[t];
        }
        scorers = content.matched > 0 ? { content, artist } : undefined;
        if (!scorers) process.stderr.write(`tune: no item of the input is in ${f.catalog}; content weights are not tuned\n`);
      }
      setInterruptNote(() => `finished trials are logged in ${f.log}: run the same command with --resume to continue`);
      const result = await runTune(data, {
        split: f.split,
        budgetMs,
        logFile: f.log,
        resume: f.resume ?? false,
        seed: f.seed,
        iterations: f.iterations,
        ...(f.trials !== undefined ? { maxTrials: f.trials } : {}),
        ...(f.threads ? { threads: f.threads } : {}),
        ...(scorers ? { scorers } : {}),
        log: f.json ? undefined : (line) => process.stderr.write(line + '\n'),
      });
      setInterruptNote(undefined);
      await writeFileAtomic(f.out, formatRunConfig(result.config));
      if (f.json) process.stdout.write(JSON.stringify({ ...result, ingest: ingestJson(data.ingest) }) + '\n');
      else {
        process.stderr.write(
          `validation NDCG@20: best ${result.validation.best.toFixed(4)}, defaults ${result.validation.defaults.toFixed(4)}\n` +
            `test NDCG@20:       best ${result.test.best.toFixed(4)}, defaults ${result.test.defaults.toFixed(4)}\n` +
            `${result.trials.evaluated} trials evaluated, ${result.trials.fromLog} from the log, ${seconds(result.seconds)} of a ${f.budget} budget → ${f.out}\n` +
            `use it with: mixtape train --config ${f.out} …, then mixtape weekly --config ${f.out} …\n` +
            (result.budget.short
              ? `the budget left no time to search: the defaults trial and the final test trainings alone take about ${seconds(result.seconds)} on this data\n`
              : ''),
        );
      }
    });
}

function seconds(s: number): string {
  return `${s < 10 ? s.toFixed(1) : s.toFixed(0)} s`;
}
