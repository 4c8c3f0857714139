import { describe, expect, it } from 'vitest';
import { tradeoffSettings } from '../../src/eval/run-evaluation.js';
import { resolveRerankOptions } from '../../src/rerank/options.js';

describe('the trade-off settings of the evaluation report', () => {
  it("labels a config's own setting with the values the re-ranker will use", () => {
    const dflt = resolveRerankOptions({ asOf: 0 });
    const onlyExploration = tradeoffSettings({ rerank: { exploration: 0.1 } }).at(-1)!;
    expect(onlyExploration.label).toBe(`config λ${dflt.lambda} e0.1`);
    expect(onlyExploration.options).toEqual({ explorationShare: 0.1 });
    const onlyLambda = tradeoffSettings({ rerank: { lambda: 0.5 } }).at(-1)!;
    expect(onlyLambda.label).toBe(`config λ0.5 e${dflt.explorationShare}`);
  });

  it('adds no row for a config without re-ranking settings', () => {
    expect(tradeoffSettings({}).map((s) => s.label)).toEqual(['top-K (no rerank)', 'λ0.9 e0', 'λ0.7 e0.2', 'λ0.5 e0.2', 'λ0.3 e0.3']);
  });
});
