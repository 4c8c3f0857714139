/** Runs one in-process case (ALS timing, scoring or the loss check) and reports its peak RSS. */
import { runAlsCase } from './als-case.js';
import type { AlsCaseSpec, CaseSpec, LossCaseSpec, ScoreCaseSpec } from './case-spec.js';
import { peakRssMb } from './cpu-clock.js';
import { runLossCase } from './loss-case.js';
import type { CaseResult } from './report.js';
import { runScoreCase } from './score-case.js';

export type InProcessSpec = CaseSpec & { body: AlsCaseSpec | ScoreCaseSpec | LossCaseSpec };

export async function runCaseHere(spec: InProcessSpec, rssScope: 'case' | 'process'): Promise<CaseResult> {
  let result: CaseResult;
  switch (spec.body.kind) {
    case 'als':
      result = await runAlsCase(spec as CaseSpec & { body: AlsCaseSpec });
      break;
    case 'score':
      result = await runScoreCase(spec as CaseSpec & { body: ScoreCaseSpec });
      break;
    case 'loss':
      result = await runLossCase(spec as CaseSpec & { body: LossCaseSpec });
      break;
  }
  return { ...result, peak_rss_mb: peakRssMb(), rss_scope: rssScope };
}
