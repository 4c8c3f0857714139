/**
 * The signals study: are the signals trustworthy? Runs every experiment of src/eval/signals-study/
 * on seeded synthetic worlds (and MovieLens ratings when present) and prints all figures as JSON.
 * Figures, not timings: the runs are kept small.
 *
 *   tsx bench/signals.ts [--users 2500] [--tracks 8000] [--seeds 1,2,3] [--threads 2]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  botDetectionStudy,
  corruptionStudy,
  decayStudy,
  manipulationStudy,
  negativesStudy,
  ratingsDecayStudy,
  roundFigures,
  STUDY_TRAINING,
  type StudyTraining,
} from '../src/eval/signals-study.js';
import { BenchFlags } from './args.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const flags = BenchFlags.parse({ users: 'value', tracks: 'value', threads: 'value', seeds: 'value' });
const users = flags.int('users', 2500);
const tracks = flags.int('tracks', 8000);
const threads = flags.int('threads', 2);
const seeds = flags.ints('seeds', [1, 2, 3], 0);
const world = { users, tracks, seed: seeds[0] };
const training: StudyTraining = { ...STUDY_TRAINING, threads };
const linear: StudyTraining = { ...training, confidence: 'linear', alpha: 10 };
const log = (m: string): boolean => process.stderr.write(`${m}\n`);

log('bots …');
const bots = seeds.map((seed) => botDetectionStudy({ world: { users, tracks, seed }, share: 0.05, farms: 10, heavyShare: 0.04 }));
log('manipulation …');
const manipulation = {
  logConfidence: await manipulationStudy({ world, training }),
  linearConfidence: await manipulationStudy({ world, training: linear }),
};
log('decay …');
const decay = await decayStudy({ world, drifts: [0.8, 0], halfLives: [90, 30, 14, 7], training });
log('negatives …');
const negatives = await negativesStudy({ world, training });
const ratingsFile = path.resolve(root, '../shared/datasets/ml-latest-small/ratings.csv');
log('ratings …');
const ratings = existsSync(ratingsFile)
  ? await ratingsDecayStudy({ file: ratingsFile, k: 20, training: { ...training, iterations: 10 } })
  : { skipped: `${path.relative(root, ratingsFile)} is missing` };
log('corruption …');
const corruption = await corruptionStudy({ world: { users: 300, tracks: 2000, weeks: 3, seed: seeds[0] }, corruptRows: 160 });

process.stdout.write(
  JSON.stringify(roundFigures({ world: { users, tracks, weeks: 8 }, training, bots, manipulation, decay, negatives, ratings, corruption }), null, 2) + '\n',
);
