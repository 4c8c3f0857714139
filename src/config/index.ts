/** The run-config file shared by train, evaluate and tune. */
export { formatRunConfig, loadRunConfig, mergeSignals, parseRunConfig, runConfigSchema, trainOptionsOf } from './run-config.js';
export type { HybridParams, RerankParams, RunConfig, TrainParams } from './run-config.js';
