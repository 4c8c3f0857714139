/**
 * Applying a run config to a command's flags: config values fill every train parameter (or, for
 * the weekly job, every re-ranking knob and hybrid weight) the user did not type on the command
 * line (explicit flags win), and the config's signals overrides apply when an event log is loaded.
 */
import type { Command } from 'commander';
import { loadInteractions, type InteractionFlags, type LoadedInteractions } from './interaction-source.js';
import { loadSignalsConfig } from '../signals/index.js';
import { mergeSignals, type RunConfig } from './run-config.js';

/** Where each key of a config section lands among a command's flags: [section, key, flag]. */
type FlagMap = readonly (readonly [keyof RunConfig, string, string])[];

const TRAIN_FLAGS: FlagMap = (['factors', 'iterations', 'regularization', 'alpha', 'confidence', 'epsilon', 'solver', 'cgSteps', 'seed'] as const).map(
  (k) => ['train', k, k] as const,
);

const WEEKLY_FLAGS: FlagMap = [
  ['rerank', 'lambda', 'lambda'],
  ['rerank', 'exploration', 'explore'],
  ['rerank', 'artistCap', 'artistCap'],
  ['hybrid', 'cf', 'cfWeight'],
  ['hybrid', 'content', 'contentWeight'],
];

/** A copy of `flags` with the config's values in place of defaulted (not typed) flags. */
function fillUntyped<F extends object>(flags: F, config: RunConfig | undefined, command: Command, map: FlagMap): F {
  const out = { ...flags } as Record<string, unknown>;
  for (const [section, key, flag] of map) {
    const v = (config?.[section] as Record<string, unknown> | undefined)?.[key];
    if (v !== undefined && command.getOptionValueSource(flag) !== 'cli') out[flag] = v;
  }
  return out as F;
}

/** `train`'s flags with the config's train params in place of defaulted ones. */
export function applyRunConfig<F extends object>(flags: F, config: RunConfig | undefined, command: Command): F {
  return fillUntyped(flags, config, command, TRAIN_FLAGS);
}

/** The weekly job's flags with the config's re-ranking knobs and hybrid weights (as `mixtape tune` chose them) in place of defaulted ones. */
export function applyWeeklyConfig<F extends object>(flags: F, config: RunConfig | undefined, command: Command): F {
  return fillUntyped(flags, config, command, WEEKLY_FLAGS);
}

/** loadInteractions, with the config's signals overrides on top of --signals for event logs. */
export async function loadInteractionsWithConfig(f: InteractionFlags, config: RunConfig | undefined): Promise<LoadedInteractions> {
  if (!config?.signals || f.format !== 'events') return loadInteractions(f);
  const signals = mergeSignals(f.signals ? loadSignalsConfig(f.signals) : {}, config.signals);
  return loadInteractions(f, signals);
}
