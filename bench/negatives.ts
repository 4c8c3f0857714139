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

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}
function number(name: string, fallback: number, ok: (v: number) => boolean): number {
  const v = Number(arg(name, String(fallback)));
  if (!ok(v)) throw new Error(`--${name}: bad value ${arg(name, '')}`);
  return v;
}
const isCount = (v: number): boolean => Number.isInteger(v) && v > 0;

const users = number('users', 2500, isCount);
const tracks = number('tracks', 8000, isCount);
const threads = number('threads', 2, isCount);
const drift = number('drift', 0.3, (v) => v >= 0 && v <= 1);
const isPositive = (v: number): boolean => Number.isFinite(v) && v > 0;
const confidence = arg('confidence', STUDY_TRAINING.confidence);
if (confidence !== 'log' && confidence !== 'linear') throw new Error(`--confidence must be log or linear, got ${confidence}`);
const training: StudyTraining = {
  factors: number('factors', STUDY_TRAINING.factors, isCount),
  iterations: number('iterations', STUDY_TRAINING.iterations, isCount),
  regularization: number('regularization', STUDY_TRAINING.regularization, isPositive),
  alpha: number('alpha', STUDY_TRAINING.alpha, isPositive),
  confidence,
};
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
if (!seeds.every((s) => Number.isInteger(s) && s >= 0)) throw new Error(`--seeds must be comma-separated integers`);

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
