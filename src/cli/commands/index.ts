import type { Command } from 'commander';
import { registerDemo } from './demo.js';
import { registerGenerate } from './generate.js';
import { registerRecommend } from './recommend.js';
import { registerTrain } from './train.js';

export function registerCommands(program: Command): void {
  registerGenerate(program);
  registerTrain(program);
  registerRecommend(program);
  registerDemo(program);
}
