/**
 * The negatives dial: how much should an early skip count against a track? For each setting of
 * the skip weight and the confidence of net-negative entries, next-week recall@30 and the planted
 * taste mismatch of the top-30 on seeded generated worlds, relative to ignoring skips. Figures,
 * not timings; prints JSON.
 *
 *   tsx bench/negatives.ts [--users 2500] [--tracks 8000] [--seeds 1,2,3] [--drift 0.3] [--threads 2]
 *                          [--factors 32] [--iterations 8] [--regularization 0.05] [--alpha 2] [--confidence log]
 *
 * The training flags change the ALS recipe of every arm alike (default: the studies' recipe), to
 * check that the dial's shape is not an artefact of one recipe.
 */
import { negativesDial, roundFigures, STUDY_TRAINING, type NegativesSetting, type StudyTraining } from '../src/eval/signals-study.js';
import { summarize } from '../src/bench/stats.js';
import { BenchFlags, valueFlags } from './args.js';

const flags = BenchFlags.parse(
  valueFlags('users', 'tracks', 'threads', 'drift', 'confidence', 'factors', 'iterations', 'regularization', 'alpha', 'seeds'),
);
const users = flags.int('users', 2500);
const tracks = flags.int('tracks', 8000);
const threads = flags.int('threads', 2);
const drift = flags.number('drift', 0.3, 'in [0, 1]', (v) => v >= 0 && v <= 1);
const positive = (v: number): boolean => v > 0;
const training: StudyTraining = {
  factors: flags.int('factors', STUDY_TRAINING.factors),
  iterations: flags.int('iterations', STUDY_TRAINING.iterations),
  regularization: flags.number('regularization', STUDY_TRAINING.regularization, 'a number > 0', positive),
  alpha: flags.number('alpha', STUDY_TRAINING.alpha, 'a number > 0', positive),
  confidence: flags.choice('confidence', ['log', 'linear'] as const, STUDY_TRAINING.confidence),
};
const seeds = flags.ints('seeds', [1, 2, 3], 0);

const settings: NegativesSetting[] = [
  { label: 'skips ignored (weight 0)', config: { weights: { skip: 0 } } },
  { label: 'skips as plays', config: { skip: { negative: false } } },
];
for (const skip of [-0.25, -0.5, -1]) {
  for (const negativeConfidence of [0.5, 1, 2]) {
    settings.push({ label: `skip ${skip}, confidence ×${negativeConfidence}`, config: { weights: { skip }, negativeConfidence } });
  }
}

const perSeed: Awaited<ReturnType<typeof negativesDial>>[] = [];
for (const seed of seeds) {
  process.stderr.write(`seed ${seed} …\n`);
  perSeed.push(await negativesDial({ world: { users, tracks, seed }, drift, training: { ...training, threads } }, settings));
}
const rows = settings.map((s, i) => {
  const recall = perSeed.map((r) => r[i].figures.recall);
  const ignored = perSeed.map((r) => r[0].figures.recall);
  const recallVsIgnored = recall.map((x, j) => x / ignored[j] - 1);
  return {
    setting: s.label,
    config: s.config,
    recall,
    recallVsIgnored,
    medianRecallVsIgnored: summarize(recallVsIgnored).median,
    mismatch: perSeed.map((r) => r[i].figures.mismatch),
    listPopularity: perSeed.map((r) => r[i].figures.listPopularity),
  };
});
process.stdout.write(JSON.stringify(roundFigures({ world: { users, tracks, weeks: 8, drift }, seeds, training, rows }), null, 2) + '\n');
