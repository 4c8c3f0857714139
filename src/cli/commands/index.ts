import type { Command } from 'commander';
import { registerBench } from './bench.js';
import { registerDemo } from './demo.js';
import { registerEvaluate } from './evaluate.js';
import { registerGenerate } from './generate.js';
import { registerRecommend } from './recommend.js';
import { registerReveal } from './reveal.js';
import { registerSignals } from './signals.js';
import { registerTrain } from './train.js';
import { registerTune } from './tune.js';
import { registerWeekly } from './weekly.js';

export function registerCommands(program: Command): void {
  registerGenerate(program);
  registerSignals(program);
  registerTrain(program);
  registerRecommend(program);
  registerWeekly(program);
  registerReveal(program);
  registerEvaluate(program);
  registerTune(program);
  registerDemo(program);
  registerBench(program);
}
