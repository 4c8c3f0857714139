import { describe, expect, it } from 'vitest';

import { runScoreCase } from '../../src/bench/score-case.js';
import type { CaseSpec, ScoreCaseSpec } from '../../src/bench/case-spec.js';

const spec = (prefilter: ScoreCaseSpec['prefilter']): CaseSpec & { body: ScoreCaseSpec } => ({
  name: `score top-50 k=32 t=1 ${prefilter}`,
  suite: 'score',
  scale: 'small',
  runs: 1,
  warmup: 0,
  body: { kind: 'score', factors: 32, threads: 1, n: 50, prefilter },
});

describe('the score bench case', () => {
  it('names the kernel its calls reported, not the one the build could take', async () => {
    // The small matrix has 1,000 items: too few for 'auto' to take the pre-filter on any build.
    for (const prefilter of ['auto', 'off'] as const) {
      const r = await runScoreCase(spec(prefilter));
      expect(r.params.kernel).toBe('float');
      expect(r.seconds!.median).toBeGreaterThan(0);
    }
  });
});
