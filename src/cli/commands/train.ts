import path from 'node:path';
import type { Command } from 'commander';
import { applyRunConfig, loadInteractionsWithConfig } from '../../config/apply.js';
import { formatIngestLine, formatSignalsLines, ingestJson } from '../ingest-summary.js';
import { loadRunConfig } from '../../config/run-config.js';
import { attachContent, withCatalogTracks } from '../../content/attach.js';
import { readCatalog } from '../../data/catalog.js';
import { defaultThreads } from '../../util/worker-pool.js';
import { setInterruptNote } from '../interrupt.js';
import { checkpointDir, readCheckpoint, removeCheckpoint, trainingFingerprint, writeCheckpoint } from '../../train/checkpoint.js';
import { resolveTrainOptions } from '../../train/options.js';
import { train } from '../../train/train.js';
import { estimateTrainingMemory, parseSize } from '../../util/memory-estimate.js';
import type { InteractionFlags } from '../../config/interaction-source.js';
import type { IngestReport } from '../../data/index.js';
import { addInteractionFlags } from '../load-interactions.js';
import { int, num, oneOf, peakRssMb } from '../options.js';
import { createProgress, readProgress, signalsProgress } from '../progress.js';
import { makeDirs } from '../../util/make-dirs.js';
import { checkModelTarget } from '../../model/target-dir.js';
import { errorMessage } from '../../util/error-message.js';

interface TrainFlags extends InteractionFlags {
  confidence: 'linear' | 'log';
  factors: number;
  iterations: number;
  regularization: number;
  alpha: number;
  epsilon: number;
  solver: 'cg' | 'cholesky';
  cgSteps: number;
  threads?: number;
  seed: number;
  catalog?: string;
  catalogArtists?: string;
  blendContent?: boolean;
  checkpointEvery: number;
  resume?: boolean;
  maxMemory?: number;
  out: string;
  json?: boolean;
  config?: string;
}

/** The module's training defaults, so the command and `train()` agree. */
const TRAIN = resolveTrainOptions();

export function registerTrain(program: Command): void {
  const cmd = program.command('train').description('train an implicit-ALS model and save it to a model directory');
  addInteractionFlags(cmd)
    .option('--confidence <mode>', 'linear (1 + alpha·w) | log (1 + alpha·log(1 + w/eps))', oneOf('linear', 'log'), TRAIN.confidence)
    .option('--factors <k>', 'latent factors', int(1), TRAIN.factors)
    .option('--iterations <n>', 'ALS sweeps', int(0), TRAIN.iterations)
    .option('--regularization <lambda>', 'L2 regularization', num(0), TRAIN.regularization)
    .option('--alpha <a>', 'confidence scale', num(0), TRAIN.alpha)
    .option('--epsilon <eps>', 'epsilon of the log confidence', num(1e-12), TRAIN.epsilon)
    .option('--solver <solver>', 'cg | cholesky', oneOf('cg', 'cholesky'), TRAIN.solver)
    .option('--cg-steps <n>', 'conjugate-gradient steps per row', int(1), TRAIN.cgSteps)
    .option('--threads <n>', 'worker threads of training and of the signals stage (default: usable cores)', int(1))
    .option('--seed <s>', 'random seed', int(0), TRAIN.seed)
    .option('--catalog <file>', 'track catalog (CSV or Parquet): track_id, artist_id, genres, tags, release_date, numeric features; unplayed tracks become cold items with content-mapped factors')
    .option('--catalog-artists <file>', 'artist-level metadata (artist_id + columns) inherited by the catalog tracks')
    .option('--blend-content', 'also blend content-mapped factors into warm tracks with few listens')
    .option('--checkpoint-every <n>', 'write a resumable checkpoint every N iterations (beside --out)', int(1), 5)
    .option('--resume', 'continue from the checkpoint of an interrupted run into the same --out')
    .option('--max-memory <size>', 'refuse to start when the estimated peak memory exceeds this (e.g. 4G)', parseSize)
    .requiredOption('--out <dir>', 'model directory to write (replaced atomically)')
    .option('--json', 'print one JSON object with the run figures')
    .option('--config <file>', 'run config (JSON, e.g. from `mixtape tune`): train params and signals overrides; explicit flags override it')
    .action(async (flags: TrainFlags, command: Command) => {
      const started = performance.now();
      const config = flags.config ? loadRunConfig(flags.config) : undefined;
      const f = applyRunConfig(flags, config, command);
      if (f.maxMemory !== undefined) {
        const est = await estimateTrainingMemory(f.interactions, f.format, f.factors);
        if (!f.json) process.stderr.write(`estimated peak memory ${Math.round(est.bytes / 2 ** 20)} MB (${est.detail})\n`);
        if (est.bytes > f.maxMemory) {
          throw new Error(
            `estimated peak memory ${Math.round(est.bytes / 2 ** 20)} MB exceeds --max-memory ${Math.round(f.maxMemory / 2 ** 20)} MB (${est.detail}); ` +
              'use fewer --factors, drop old events with --max-age, split the input, or raise --max-memory',
          );
        }
      }
      const trainOptions = {
        factors: f.factors,
        iterations: f.iterations,
        regularization: f.regularization,
        alpha: f.alpha,
        confidence: f.confidence,
        epsilon: f.epsilon,
        solver: f.solver,
        cgSteps: f.cgSteps,
        threads: f.threads,
        seed: f.seed,
        computeLoss: true,
      };
      // The options and where the model goes are checked before the data is read, not after.
      resolveTrainOptions(trainOptions);
      await makeDirs(path.dirname(path.resolve(f.out))).catch((err: unknown) => {
        throw new Error(`cannot write ${f.out}: ${errorMessage(err)}`);
      });
      await checkModelTarget(f.out);
      const reading = readProgress('reading', !!f.json);
      // Each stage's line as soon as it is done: a long run's log shows where it is.
      const say = (lines: string[]): void => {
        if (!f.json) process.stderr.write(lines.map((l) => `${l}\n`).join(''));
      };
      const onRead = (ingest: IngestReport): void => {
        reading.stop();
        say([formatIngestLine(ingest)]);
      };
      const signalsBar = signalsProgress(!!f.json);
      const loaded = await loadInteractionsWithConfig({ ...f, progress: reading.onProgress, onRead, onSignalsProgress: signalsBar.update }, config).finally(() => {
        reading.stop();
        signalsBar.stop();
      });
      const signals = loaded.report.signals;
      if (signals) say(formatSignalsLines(signals, f.asOf === undefined));
      // A model of nobody would replace a good one at --out and serve empty lists: refuse it.
      if (loaded.interactions.indices.length === 0) {
        throw new Error(`${f.interactions}: no interactions left to train on (every row was dropped or weighed to zero; the read and signals lines say why); ${f.out} is not written`);
      }
      const catalog = f.catalog ? await readCatalog(f.catalog, f.catalogArtists ? { artists: f.catalogArtists } : {}) : undefined;
      const interactions = catalog ? withCatalogTracks(loaded.interactions, catalog) : loaded.interactions;
      const bar = f.json ? undefined : createProgress('training', f.iterations, 'iterations');
      const opts = resolveTrainOptions({
        ...trainOptions,
        onIteration: (info) => bar?.update(info.iteration, { detail: `loss ${info.loss.toPrecision(5)}` }),
      });
      const ckDir = checkpointDir(f.out);
      const fingerprint = trainingFingerprint(interactions, opts);
      const resumed = f.resume ? await readCheckpoint(ckDir, fingerprint, interactions.users.size, interactions.items.size, opts.factors) : undefined;
      if (resumed && resumed.completedIterations > opts.iterations) {
        throw new Error(`${ckDir}: the checkpoint is after iteration ${resumed.completedIterations}, past --iterations ${opts.iterations}; resume with --iterations ${resumed.completedIterations} or more, or run without --resume to start over`);
      }
      if (f.resume && !f.json) process.stderr.write(resumed ? `resuming after iteration ${resumed.completedIterations}\n` : 'no checkpoint found: starting from the beginning\n');
      let checkpointed = resumed?.completedIterations;
      setInterruptNote(() =>
        checkpointed !== undefined
          ? `the checkpoint after iteration ${checkpointed} is kept in ${ckDir}: run the same command with --resume to continue`
          : `no checkpoint yet (one is written every ${f.checkpointEvery} iterations); ${f.out} is unchanged`,
      );
      const trainStarted = performance.now();
      let model = await train(interactions, opts, {
        initial: resumed,
        afterIteration: async (s) => {
          if (s.iteration % f.checkpointEvery === 0 && s.iteration < opts.iterations) {
            await writeCheckpoint(ckDir, fingerprint, { completedIterations: s.iteration, history: [...s.history], userFactors: s.userFactors, itemFactors: s.itemFactors }, interactions.users.size, interactions.items.size, opts.factors);
            checkpointed = s.iteration;
          }
        },
      });
      bar?.stop();
      const trainSeconds = (performance.now() - trainStarted) / 1000;
      let content: { cold_tracks: number; blended_tracks: number; dim: number } | undefined;
      if (catalog) {
        const attached = attachContent(model, catalog, { blendWarm: f.blendContent ?? false });
        model = model.withContent(attached.content);
        content = { cold_tracks: attached.coldTracks, blended_tracks: attached.blendedTracks, dim: attached.content.dim };
      }
      if (f.pseudonymKeyCheck) model = model.withPseudonyms(f.pseudonymKeyCheck);
      const saveStarted = performance.now();
      await model.save(f.out);
      await removeCheckpoint(ckDir);
      const saveSeconds = (performance.now() - saveStarted) / 1000;
      setInterruptNote(undefined);
      const summary = {
        users: interactions.users.size,
        items: interactions.items.size,
        nnz: interactions.indices.length,
        factors: f.factors,
        threads: f.threads ?? defaultThreads(),
        iterations: model.data.history.map((h) => ({ iteration: h.iteration, seconds: h.seconds, loss: h.loss })),
        seconds_total: (performance.now() - started) / 1000,
        seconds: { ...loaded.seconds, train: trainSeconds, save: saveSeconds },
        peak_rss_mb: peakRssMb(),
        ingest: ingestJson(loaded.report.ingest),
        ...(signals ? { signals: { as_of: signals.asOf, ...signals.totals, decay: signals.decay } } : {}),
        ...(content ? { content } : {}),
      };
      if (f.json) process.stdout.write(JSON.stringify(summary) + '\n');
      say([`trained ${summary.users} users × ${summary.items} items (${summary.nnz} nonzeros) in ${summary.seconds_total.toFixed(2)} s → ${f.out}`]);
    });
}
