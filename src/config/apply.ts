/**
 * Applying a run config to a command's flags: config values fill every train parameter (or, for
 * the weekly job, every re-ranking knob and hybrid weight) the user did not type on the command
 * line (explicit flags win), and the config's signals overrides apply when an event log is loaded.
 */
import type { Command } from 'commander';
import { loadInteractions, type InteractionFlags, type LoadedInteractions } from './interaction-source.js';
import { loadSignalsConfig } from '../signals/index.js';
import { mergeSignals, type RunConfig } from './run-config.js';

const TRAIN_KEYS = ['factors', 'iterations', 'regularization', 'alpha', 'confidence', 'epsilon', 'solver', 'cgSteps', 'seed'] as const;

/** A copy of `flags` with the config's train params in place of defaulted (not typed) flags. */
export function applyRunConfig<F extends object>(flags: F, config: RunConfig | undefined, command: Command): F {
  const out = { ...flags } as Record<string, unknown>;
  for (const key of TRAIN_KEYS) {
    const v = config?.train?.[key];
    if (v !== undefined && command.getOptionValueSource(key) !== 'cli') out[key] = v;
  }
  return out as F;
}

/** Where each key of a config's `rerank` and `hybrid` sections lands among `mixtape weekly`'s flags. */
const WEEKLY_KEYS = [
  ['rerank', 'lambda', 'lambda'],
  ['rerank', 'exploration', 'explore'],
  ['rerank', 'artistCap', 'artistCap'],
  ['hybrid', 'cf', 'cfWeight'],
  ['hybrid', 'content', 'contentWeight'],
] as const;

/**
 * A copy of the weekly job's `flags` with the config's re-ranking knobs and hybrid weights (as
 * `mixtape tune` chose them) in place of defaulted (not typed) flags.
 */
export function applyWeeklyConfig<F extends object>(flags: F, config: RunConfig | undefined, command: Command): F {
  const out = { ...flags } as Record<string, unknown>;
  for (const [section, key, flag] of WEEKLY_KEYS) {
    const v = (config?.[section] as Record<string, number | undefined> | undefined)?.[key];
    if (v !== undefined && command.getOptionValueSource(flag) !== 'cli') out[flag] = v;
  }
  return out as F;
}

/** loadInteractions, with the config's signals overrides on top of --signals for event logs. */
export async function loadInteractionsWithConfig(f: InteractionFlags, config: RunConfig | undefined): Promise<LoadedInteractions> {
  if (!config?.signals || f.format !== 'events') return loadInteractions(f);
  const signals = mergeSignals(f.signals ? loadSignalsConfig(f.signals) : {}, config.signals);
  return loadInteractions(f, signals);
}
