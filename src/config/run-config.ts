/**
 * The run-config file: one JSON object holding everything a tuned run needs — ALS training
 * parameters, signals overrides (decay half-life…), hybrid weights and re-ranking knobs. Every
 * section and field is optional; unknown keys are errors so a typo cannot silently fall back to
 * a default. `mixtape tune` writes this file, `mixtape train|evaluate --config` read it.
 *
 * {
 *   "train":   { "factors": 48, "iterations": 15, "regularization": 0.01, "alpha": 1,
 *                "confidence": "log", "epsilon": 1, "solver": "cg", "cgSteps": 3, "seed": 42 },
 *   "signals": { "halfLifeDays": 90, ... any key of the signals config },
 *   "hybrid":  { "cf": 1, "content": 0.3 },
 *   "rerank":  { "lambda": 0.9, "exploration": 0.2, "artistCap": 2 }
 * }
 */
import { readJsonFile } from '../util/json-file.js';
import { z } from 'zod';
import { resolveSignalsConfig, type SignalsConfigInput } from '../signals/index.js';
import type { TrainOptions } from '../types.js';
import type { RerankOptions } from '../rerank/options.js';

const trainSchema = z.strictObject({
  factors: z.number().int().min(1).max(4096).optional(),
  iterations: z.number().int().min(0).max(10_000).optional(),
  regularization: z.number().finite().min(0).optional(),
  alpha: z.number().finite().min(0).optional(),
  confidence: z.enum(['linear', 'log']).optional(),
  epsilon: z.number().finite().positive().optional(),
  solver: z.enum(['cg', 'cholesky']).optional(),
  cgSteps: z.number().int().min(1).max(1000).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
});

const hybridSchema = z.strictObject({
  cf: z.number().finite().min(0).optional(),
  content: z.number().finite().min(0).optional(),
});

const rerankSchema = z.strictObject({
  /** MMR trade-off, 1 = pure relevance. */
  lambda: z.number().finite().min(0).max(1).optional(),
  /** Share of playlist slots for discoveries. */
  exploration: z.number().finite().min(0).max(1).optional(),
  artistCap: z.number().int().min(1).optional(),
});

export const runConfigSchema = z.strictObject({
  /** Free text: where the config came from (e.g. the tune run). Ignored by readers. */
  comment: z.string().optional(),
  train: trainSchema.optional(),
  /** Overrides of the signals config (checked against the signals schema on load). */
  signals: z.record(z.string(), z.unknown()).optional(),
  hybrid: hybridSchema.optional(),
  rerank: rerankSchema.optional(),
});

export type RunConfig = z.output<typeof runConfigSchema>;
export type TrainParams = NonNullable<RunConfig['train']>;
export type HybridParams = NonNullable<RunConfig['hybrid']>;
export type RerankParams = NonNullable<RunConfig['rerank']>;

/** Validate a parsed JSON value; `source` names the file in error messages. */
export function parseRunConfig(json: unknown, source = 'config'): RunConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${source}: run config must be a JSON object`);
  const r = runConfigSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') throw new Error(`${source}: ${at ? `${at}.` : ''}${issue.keys.join(', ')}: unknown key`);
    throw new Error(`${source}: ${at || '(root)'}: ${issue.message}`);
  }
  // The signals section follows the signals schema; resolving it here reports bad keys early.
  if (r.data.signals) resolveSignalsConfig(r.data.signals as SignalsConfigInput, `${source}: signals`);
  return r.data;
}

/** Read and validate a run-config file; errors name the file (and line:column for bad JSON). */
export function loadRunConfig(file: string): RunConfig {
  return parseRunConfig(readJsonFile(file, 'run config'), file);
}

/** The config as pretty JSON (what `tune --out` writes). */
export function formatRunConfig(config: RunConfig): string {
  return JSON.stringify(parseRunConfig(config), null, 2) + '\n';
}

/** Training options of a config (only the fields it sets). */
export function trainOptionsOf(config: RunConfig | undefined): TrainOptions {
  const t = config?.train ?? {};
  const out: TrainOptions = {};
  for (const [k, v] of Object.entries(t)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** The re-ranking options a config's `rerank` section sets (its names are the tune grid's). */
export function rerankOptionsOf(config: RunConfig | undefined): RerankOptions {
  const r = config?.rerank ?? {};
  return {
    ...(r.lambda !== undefined ? { lambda: r.lambda } : {}),
    ...(r.exploration !== undefined ? { explorationShare: r.exploration } : {}),
    ...(r.artistCap !== undefined ? { artistCap: r.artistCap } : {}),
  };
}

/**
 * What a config sets for the playlists, as `weeklyPlaylist` options: the re-ranking knobs, the
 * hybrid weights and the signals overrides its recent events are read with; what `mixtape weekly
 * --config` applies. Spread it into the options: `{ asOf, ...weeklyOptionsOf(config) }`.
 */
export function weeklyOptionsOf(config: RunConfig | undefined): RerankOptions & { hybrid?: HybridParams; signals?: SignalsConfigInput } {
  return {
    ...rerankOptionsOf(config),
    ...(config?.hybrid ? { hybrid: config.hybrid } : {}),
    ...(config?.signals ? { signals: config.signals as SignalsConfigInput } : {}),
  };
}

/** Signals overrides on top of a base config: nested objects merge key by key, other values replace. */
export function mergeSignals(base: object, overrides: Record<string, unknown>): SignalsConfigInput {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(overrides)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? mergeSignals(b, v as Record<string, unknown>) : v;
  }
  return out as SignalsConfigInput;
}
