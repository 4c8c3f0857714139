/**
 * `mixtape evaluate`: the model and the baselines on one split, one HTML report, optional JSON.
 *
 * --min-weight W (counts files): rows whose weight is below W are dropped before splitting, so
 * they are neither training positives nor test items — e.g. `--min-weight 4` keeps MovieLens
 * ratings ≥ 4 as the positives.
 */
import { writeTextOutput } from '../../util/gzip-output.js';
import type { Command } from 'commander';
import { readProgress } from '../progress.js';
import { loadRunConfig } from '../../config/run-config.js';
import { runEvaluationFromFlags } from '../../eval/run-evaluation.js';
import type { SplitKind } from '../../eval/run-split.js';
import type { InteractionFlags } from '../../config/interaction-source.js';
import { addInteractionFlags } from '../load-interactions.js';
import { int, num, oneOf } from '../options.js';

interface EvaluateFlags extends InteractionFlags {
  split: SplitKind;
  catalog?: string;
  config?: string;
  report?: string;
  json?: boolean;
  minWeight?: number;
  seed: number;
  threads?: number;
  bootstrap: number;
}

export function registerEvaluate(program: Command): void {
  const cmd = program.command('evaluate').description('evaluate ALS against popularity, item-kNN and random on one split; write an HTML report');
  addInteractionFlags(cmd)
    .option('--split <kind>', 'random (per-user 20% hold-out) | temporal (next week / latest 20% per user) | users (unseen users, folded in)', oneOf('random', 'temporal', 'users'), 'random')
    .option('--min-weight <w>', 'counts: drop rows with weight below w before splitting (e.g. 4 keeps ratings ≥ 4 as positives)', num())
    .option('--catalog <file>', 'track catalog: adds the hybrid (CF + content) ranker and artist metrics')
    .option('--config <file>', 'run config (JSON): train params, signals overrides, hybrid weights, rerank knobs')
    .option('--report <file>', 'write the report here: JSON when the name ends .json, else the HTML page (.gz: compressed)')
    .option('--json', 'print the figures as one JSON object on stdout')
    .option('--seed <s>', 'seed of the split, baselines and bootstrap', int(0), 42)
    .option('--bootstrap <n>', 'bootstrap resamples for the intervals', int(1), 1000)
    .option('--threads <n>', 'worker threads (default: usable cores)', int(1))
    .action(async (f: EvaluateFlags) => {
      if (!f.report && !f.json) throw new Error('evaluate: give --report FILE and/or --json');
      const config = f.config ? loadRunConfig(f.config) : undefined;
      const reading = readProgress('reading', !!f.json);
      const run = await runEvaluationFromFlags({ ...f, progress: reading.onProgress }, {
        split: f.split,
        ...(config ? { config } : {}),
        ...(f.catalog ? { catalog: f.catalog } : {}),
        seed: f.seed,
        bootstrapIterations: f.bootstrap,
        ...(f.threads ? { threads: f.threads } : {}),
        log: f.json ? undefined : (line) => process.stderr.write(line + '\n'),
      }).finally(reading.stop);
      // The report in the format its name says: JSON (as --json prints) or the HTML page.
      if (f.report) await writeTextOutput(f.report, /\.json(\.gz)?$/i.test(f.report) ? JSON.stringify(run.json, null, 2) + '\n' : run.html);
      if (f.json) process.stdout.write(JSON.stringify(run.json) + '\n');
      else {
        const rows = run.json.results.map((r) => {
          const a = r.atK.find((x) => x.k === 20)!;
          const p10 = r.atK.find((x) => x.k === 10);
          return `${r.ranker.padEnd(16)} NDCG@20 ${a.ndcg.mean.toFixed(4)} [${a.ndcg.low.toFixed(4)}, ${a.ndcg.high.toFixed(4)}]  P@10 ${p10 ? p10.precision.mean.toFixed(4) : '–'}`;
        });
        const c = run.json.comparisons[0];
        process.stderr.write(`${rows.join('\n')}\n${c ? `als − most-popular NDCG@20: ${c.result.meanDiff.toFixed(4)} (p ${c.result.pValue.toPrecision(2)}${c.result.significant ? ', significant' : ''})\n` : ''}${f.report ? `report → ${f.report}\n` : ''}`);
      }
    });
}
