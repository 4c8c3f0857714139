/** Seeded synthetic listening worlds: generation, planted truth, and CSV/JSON output. */
export { generateWorld, worldToEventLog, type World, type WorldEvents } from './world.js';
export { writeWorld, EVENTS_HEADER, CATALOG_HEADER } from './write.js';
export { plantedAffinity, skipProbability, expectedFullPlayRate } from './planted.js';
export {
  resolveOptions,
  FARM_STYLES,
  type GenerateOptions,
  type BotOptions,
  type FarmStyle,
  type ResolvedOptions,
  type ResolvedBotOptions,
} from './options.js';
export { Rng, hashSeed } from './rng.js';
export { AliasTable } from './alias.js';
export { CORRUPT_KINDS, type CorruptKind } from './event-buffer.js';
export { MALFORMED_VARIANTS, MISSING_ID_VARIANTS } from './corrupt.js';
export { SKIP_MODEL } from './taste.js';
export { worldTrackMeta } from './track-meta.js';
export type { Truth, TruthUser, TruthFarm, TruthTaste } from './truth.js';
export type { SyntheticCatalog } from './catalog.js';
export type { Population } from './population.js';
export type { FarmPlan } from './farms.js';
