import type { Command } from 'commander';
import { registerRecommend } from './recommend.js';
import { registerTrain } from './train.js';

export function registerCommands(program: Command): void {
  registerTrain(program);
  registerRecommend(program);
}
