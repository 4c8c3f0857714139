import { describe, expect, it } from 'vitest';
import { Dictionary } from '../../src/data/dictionary.js';
import type { IngestReport } from '../../src/data/ingest-report.js';
import { factorCandidates } from '../../src/eval/candidates.js';
import { accuracyAtK, intraListDiversity } from '../../src/eval/metrics.js';
import { rerankCandidates, rerankFeatures, RERANK_POOL } from '../../src/eval/rerank-ranker.js';
import { rerankOptionsOf } from '../../src/config/run-config.js';
import type { CountsData } from '../../src/eval/run-data.js';
import { trainRunModel } from '../../src/eval/run-model.js';
import { makeValidationSplit } from '../../src/eval/run-split.js';
import { itemUserCounts, positiveRows } from '../../src/eval/sparse.js';
import { ContentStage, evaluatedUsers, K, pipelineRanker, RerankStage, scoreRanker } from '../../src/tune/objective.js';
import { mulberry32 } from '../../src/util/random.js';

// Counts of 300 users over 400 items with a little structure (item groups), and content that
// knows the groups.
const rand = mulberry32(17);
const usersN = 300;
const itemsN = 400;
const user: number[] = [];
const item: number[] = [];
const weight: number[] = [];
for (let u = 0; u < usersN; u++) {
  const group = u % 8;
  for (let j = 0; j < 25; j++) {
    const i = rand() < 0.7 ? group * 50 + Math.floor(rand() ** 2 * 50) : Math.floor(rand() * itemsN);
    user.push(u), item.push(i), weight.push(1 + Math.floor(rand() * 5));
  }
}
const data: CountsData = {
  kind: 'counts',
  users: Dictionary.from(Array.from({ length: usersN }, (_, u) => `u${u}`)),
  items: Dictionary.from(Array.from({ length: itemsN }, (_, i) => `i${i}`)),
  user: Int32Array.from(user),
  item: Int32Array.from(item),
  weight: Float32Array.from(weight),
  droppedBelowMinWeight: 0,
  ingest: {} as IngestReport,
};
const dim = 6;
const content = { data: new Float32Array(itemsN * dim), dim };
for (let i = 0; i < itemsN; i++) {
  const v = Array.from({ length: dim }, (_, j) => (j === Math.floor(i / 50) % dim ? 1 : 0) + 0.3 * (rand() - 0.5));
  const n = Math.hypot(...v);
  v.forEach((x, j) => (content.data[i * dim + j] = x / n));
}

describe("tune's shared stages", () => {
  it('score every content weight and re-ranking setting as the rankers would, one at a time', async () => {
    const split = await makeValidationSplit(data, { kind: 'random', seed: 3 });
    const trained = await trainRunModel(split, { factors: 8, iterations: 3, seed: 1, threads: 1 }, false);
    const stage = await ContentStage.open(trained, split, content, 2);
    for (const w of [0, 0.3, 1.2]) {
      const want = await scoreRanker(pipelineRanker(trained, split, { hybrid: { cf: 1, content: w } }, { content }, 'content').ranker, split, content, 2);
      expect(stage.score({ cf: 1, content: w }), `content ${w}`).toEqual(want);
    }

    const settings = [
      { lambda: 1, exploration: 0, artistCap: 2 },
      { lambda: 0.7, exploration: 0.2, artistCap: 2 },
      { lambda: 0.5, exploration: 0.3, artistCap: 2 },
    ];
    const users = evaluatedUsers(split);
    const features = rerankFeatures({ itemFactors: trained.itemFactors, factors: trained.factors, popularity: itemUserCounts(positiveRows(split.train)), diversity: content });
    const cand = factorCandidates(trained.userFactors, trained.itemFactors, trained.factors, users, RERANK_POOL, split.exclude ?? split.train);
    const rerank = await RerankStage.open(trained, split, {}, { content }, 2);
    try {
      const got = [...(await rerank.score(settings.slice(0, 2))), ...(await rerank.score(settings.slice(2)))];
      settings.forEach((g, j) => {
        const lists = rerankCandidates(cand, users, K, features, rerankOptionsOf({ rerank: g }));
        const want = { ndcg: accuracyAtK(lists, K, users, split.test, K).mean.ndcg, diversity: intraListDiversity(lists, K, K, content.data, content.dim).mean };
        expect(got[j], JSON.stringify(g)).toEqual(want);
      });
    } finally {
      await rerank.close();
    }
  });
});
