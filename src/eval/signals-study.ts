/**
 * Does the signals stage make signals trustworthy? Experiments on seeded synthetic worlds (whose
 * planted truth says who the bots are and what each user likes) and on MovieLens ratings, each
 * returning plain figures: bot detection, resistance to stream manipulation, time decay under
 * taste drift, skips as negative evidence, decay on real timestamps, and ingest validation counts
 * against the injected corruption. One study per file under signals-study/.
 */
export { STUDY_TRAINING, roundFigures, type StudyTraining, type StudyWorld } from './signals-study/common.js';
export * from './signals-study/bots.js';
export * from './signals-study/manipulation.js';
export type { NextWeekFigures } from './signals-study/next-week.js';
export * from './signals-study/decay.js';
export * from './signals-study/negatives.js';
export * from './signals-study/ratings.js';
export * from './signals-study/corruption.js';
