import { describe, expect, it } from 'vitest';
import { registerTrain } from '../../src/cli/commands/train.js';
import { resolveTrainOptions } from '../../src/train/options.js';
import { optionDefaults } from '../util/option-defaults.js';

describe('mixtape train defaults', () => {
  it("are the module's training defaults, so the command and train() build the same model", () => {
    const flag = optionDefaults(registerTrain, 'train');
    const d = resolveTrainOptions();
    expect(flag('--factors')).toBe(d.factors);
    expect(flag('--iterations')).toBe(d.iterations);
    expect(flag('--regularization')).toBe(d.regularization);
    expect(flag('--alpha')).toBe(d.alpha);
    expect(flag('--confidence')).toBe(d.confidence);
    expect(flag('--epsilon')).toBe(d.epsilon);
    expect(flag('--solver')).toBe(d.solver);
    expect(flag('--cg-steps')).toBe(d.cgSteps);
    expect(flag('--seed')).toBe(d.seed);
  });
});
