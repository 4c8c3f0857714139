/**
 * `mixtape tune`: a seeded, resumable search on a validation split carved from the training part
 * of the evaluation split (the test split is only touched once, at the end, to report the chosen
 * configuration and the defaults side by side).
 *
 * Stages, each on the best of the previous one:
 *  1. CF — the defaults first (the bar to beat), then brackets of successive halving: a bracket
 *     samples `bracketSize` random configurations (factors, regularization, alpha, confidence,
 *     epsilon, and the decay half-life for event logs), trains each for a few iterations, keeps
 *     the best 1/eta, trains those longer, … until the survivors run the full iterations. Only
 *     full-iteration scores compete for the best configuration.
 *  2. content — the hybrid content weight on a grid (only with a catalog).
 *  3. re-ranking — λ, exploration share and artist cap: the most diverse setting whose NDCG@20 is
 *     within `rerankTolerance` of the best setting's (accuracy is never traded away silently).
 * Stages 2 and 3 reuse one trained model and are cheap; they get a reserved share of the budget.
 * The budget covers the whole run: the search stops before a trial that would leave too little
 * time for that model and the final test trainings (their cost is learned from the trials run).
 */
import { withRunLock } from '../util/run-lock.js';
import type { RunConfig } from '../config/run-config.js';
import type { RunData } from '../eval/run-data.js';
import { defaultSignalsConfig } from '../signals/index.js';
import { resolveTrainOptions } from '../train/options.js';
import { makeSplit, makeValidationSplit, type RunSplit, type SplitKind, type SplitSpec } from '../eval/run-split.js';
import type { TrainedRunModel } from '../eval/run-model.js';
import { SeededRandom } from '../eval/random.js';
import { ContentStage, pipelineRanker, RerankStage, scoreRanker, trainFor, type Scorers } from './objective.js';
import { defaultThreads } from '../util/worker-pool.js';
import { ARTIST_CAPS, CfSampler, CONTENT_WEIGHTS, EXPLORATIONS, LAMBDAS, type CfCandidate } from './space.js';
import { TrialLog, trialKey, type TrialRecord } from './trial-log.js';
import { TuneCostModel } from './cost-model.js';
import { runIdentity } from './run-identity.js';

export interface TuneOptions {
  split: SplitKind;
  /** Wall-clock budget of the search, ms. */
  budgetMs: number;
  /** JSONL trial log. */
  logFile: string;
  resume?: boolean;
  seed?: number;
  threads?: number;
  /** Full training iterations (default 15). */
  iterations?: number;
  /**
   * At most this many CF-search trials after the defaults (those answered from the log count too).
   * The budget alone makes the search depend on the machine's speed; with a cap and an ample
   * budget the same trials run everywhere, and a resumed run with a higher cap extends the search.
   */
  maxTrials?: number;
  /** Configurations per bracket (default 9) and the halving rate (default 3). */
  bracketSize?: number;
  eta?: number;
  /** Content vectors / artists aligned to the data's items (from a catalog). */
  scorers?: Scorers;
  /** Allowed relative NDCG@20 loss of the chosen re-ranking setting (default 0.05). */
  rerankTolerance?: number;
  log?: (line: string) => void;
}

export interface TuneResult {
  config: RunConfig;
  validation: { defaults: number; best: number };
  test: { defaults: number; best: number };
  /** `search`: the CF-search trials (after the defaults), of at most `maxTrials` when one was set. */
  trials: { evaluated: number; fromLog: number; brackets: number; search: number; maxTrials?: number };
  seconds: number;
  /**
   * The budget and what the run needed beyond the search: `finishSeconds` is the estimate, made
   * after the defaults trial, of the stages-2/3 model and the final test trainings; `short` when
   * the defaults trial and that alone did not fit (the run then took longer than the budget).
   */
  budget: { seconds: number; finishSeconds: number; short: boolean };
}

/** The engine's own training defaults: the configuration every search must beat. */
function defaultTrain(): CfCandidate['train'] {
  const d = resolveTrainOptions({});
  return { factors: d.factors, regularization: d.regularization, alpha: d.alpha, confidence: d.confidence, epsilon: d.epsilon };
}

/**
 * Tunes on `data`, logging every trial to `o.logFile`. One run at a time writes a log: a second
 * run started on it (without --resume) would truncate it under the first, whose later trials
 * would then be read back as the second run's.
 */
export async function runTune(data: RunData, o: TuneOptions): Promise<TuneResult> {
  // A run that lost the lock meanwhile fails: its log may hold another run's trials.
  return withRunLock(o.logFile, 'tune run', () => tune(data, o));
}

async function tune(data: RunData, o: TuneOptions): Promise<TuneResult> {
  const t0 = performance.now();
  const deadline = t0 + o.budgetMs;
  const say = o.log ?? (() => {});
  const seed = o.seed ?? 42;
  const full = o.iterations ?? 15;
  const eta = o.eta ?? 3;
  const bracketSize = o.bracketSize ?? 9;
  const events = data.kind === 'events';
  const scorers = o.scorers ?? {};
  const log = new TrialLog(o.logFile, o.resume ?? false, runIdentity(data, o.split, seed, scorers));
  // Stages 2 and 3 are cheap but must not be starved by stage 1.
  const reserve = o.budgetMs * (scorers.content ? 0.2 : 0.1);
  const cost = new TuneCostModel();

  // Promises, so that trials running side by side make a half-life's split once.
  const splits = new Map<string, Promise<{ validation: RunSplit; spec: SplitSpec }>>();
  const splitFor = (halfLife: number | null | undefined): Promise<{ validation: RunSplit; spec: SplitSpec }> => {
    const key = String(halfLife);
    let s = splits.get(key);
    if (!s) {
      const spec: SplitSpec = { kind: o.split, seed, ...(events && halfLife !== undefined ? { signals: { halfLifeDays: halfLife } } : {}) };
      const t = performance.now();
      s = makeValidationSplit(data, spec).then((validation) => {
        cost.observeSplit(performance.now() - t);
        return { validation, spec };
      });
      splits.set(key, s);
    }
    return s;
  };

  const cfConfig = (c: CfCandidate, iterations: number): RunConfig => ({
    train: { ...c.train, iterations, seed },
    ...(c.halfLifeDays !== undefined ? { signals: { halfLifeDays: c.halfLifeDays } } : {}),
  });
  const cfParams = (c: CfCandidate): Record<string, unknown> => ({ ...c.train, ...(c.halfLifeDays !== undefined ? { halfLifeDays: c.halfLifeDays } : {}) });

  /** Score a CF candidate at some iterations: from the log, or by training. */
  const cfTrial = async (c: CfCandidate, iterations: number, stage: 'defaults' | 'cf', bracket?: number, rung?: number): Promise<TrialRecord> => {
    const key = trialKey(stage === 'defaults' ? 'cf' : stage, cfParams(c), iterations);
    const cached = log.get(key);
    if (cached) return cached;
    const t = performance.now();
    const { validation } = await splitFor(c.halfLifeDays);
    const t1 = performance.now();
    const trained = await trainFor(validation, cfConfig(c, iterations), o.threads);
    const t2 = performance.now();
    const s = await scoreRanker(pipelineRanker(trained, validation, {}, scorers, 'cf').ranker, validation, { data: trained.itemFactors, dim: trained.factors }, o.threads);
    cost.observeTrial(c.train.factors, iterations, t2 - t1, performance.now() - t2);
    const rec: TrialRecord = { key, stage, ...(bracket !== undefined ? { bracket, rung } : {}), params: cfParams(c), iterations, ndcg: s.ndcg, seconds: (performance.now() - t) / 1000 };
    log.add(rec);
    say(`${stage}${bracket !== undefined ? ` b${bracket}r${rung}` : ''} ${JSON.stringify(rec.params)} it ${iterations}: NDCG@20 ${s.ndcg.toFixed(4)}`);
    return rec;
  };

  // Stage 1: defaults, then successive-halving brackets until the CF share of the budget is used.
  const defaults: CfCandidate = { train: defaultTrain(), ...(events ? { halfLifeDays: defaultSignalsConfig().halfLifeDays } : {}) };
  const defaultsRec = await cfTrial(defaults, full, 'defaults');
  let best = { cand: defaults, ndcg: defaultsRec.ndcg };
  // After the search: the model of stages 2-3 and the test trainings of the best and the defaults
  // (one when the defaults stay best). Estimated from the trials run so far (none when every
  // trial came from the log: then only the budget shares apply).
  const testTrainings = (): number => (best.cand === defaults ? 1 : 2);
  const finishMs = (): number => cost.finishMs(best.cand.train.factors, full, testTrainings());
  const finishEstimate = finishMs();
  const defaultsDoneAt = performance.now();
  const cfDeadline = (): number => deadline - reserve - finishMs();
  const rungs = rungIterations(full, eta, bracketSize);
  const sampler = new CfSampler(seed, events);
  let brackets = 0;
  let cfTrials = 0;
  const trialsLeft = (): boolean => o.maxTrials === undefined || cfTrials < o.maxTrials;
  cfLoop: while (trialsLeft() && performance.now() < cfDeadline()) {
    let pool = Array.from({ length: bracketSize }, () => sampler.next());
    for (let r = 0; r < rungs.length; r++) {
      const scored: { cand: CfCandidate; ndcg: number }[] = [];
      for (const cand of pool) {
        // Start a trial only when it should end in time for what must follow the search.
        const trialMs = log.has(trialKey('cf', cfParams(cand), rungs[r])) ? 0 : cost.trialMs(cand.train.factors, rungs[r], !splits.has(String(cand.halfLifeDays)));
        if (!trialsLeft() || performance.now() + trialMs >= cfDeadline()) break cfLoop;
        const rec = await cfTrial(cand, rungs[r], 'cf', brackets, r);
        cfTrials++;
        scored.push({ cand, ndcg: rec.ndcg });
        if (rungs[r] === full && rec.ndcg > best.ndcg) best = { cand, ndcg: rec.ndcg };
      }
      scored.sort((a, b) => b.ndcg - a.ndcg);
      pool = scored.slice(0, Math.max(1, Math.floor(scored.length / eta))).map((s) => s.cand);
    }
    brackets++;
  }
  say(`CF stage: best validation NDCG@20 ${best.ndcg.toFixed(4)} (defaults ${defaultsRec.ndcg.toFixed(4)}) after ${cfTrials} search trials${o.maxTrials !== undefined && cfTrials >= o.maxTrials ? ` (the cap)` : ''}, ${brackets} brackets complete`);

  // One model with the best CF parameters serves stages 2 and 3.
  const { validation } = await splitFor(best.cand.halfLifeDays);
  let config: RunConfig = cfConfig(best.cand, full);
  let trained: TrainedRunModel | undefined;
  const model = async (): Promise<TrainedRunModel> => (trained ??= await trainFor(validation, config, o.threads));
  /** ms of the last stage-2/3 trial without the shared model's training. */
  let lastReuseMs = 0;
  let contentStage: ContentStage | undefined;
  /** A content-weight trial: from the log, or scored on the stage's shared candidates. */
  const contentTrial = async (content: { data: Float32Array; dim: number }, params: { cf: number; content: number }): Promise<TrialRecord> => {
    const stage = 'content';
    const key = trialKey(stage, { ...cfParams(best.cand), ...params }, full);
    const cached = log.get(key);
    if (cached) return cached;
    const t = performance.now();
    const m = await model();
    const scoring = performance.now();
    contentStage ??= await ContentStage.open(m, validation, content, o.threads);
    const s = contentStage.score(params);
    const rec: TrialRecord = { key, stage, params, iterations: full, ndcg: s.ndcg, diversity: s.diversity, seconds: (performance.now() - t) / 1000 };
    lastReuseMs = performance.now() - scoring;
    log.add(rec);
    say(`${stage} ${JSON.stringify(params)}: NDCG@20 ${s.ndcg.toFixed(4)}, ILD ${s.diversity.toFixed(4)}`);
    return rec;
  };

  // Stages 2 and 3 end in time for the test trainings; a trial starts when one like the last fits.
  const stagesDeadline = deadline - cost.testMs(best.cand.train.factors, full, testTrainings());
  const reuseFits = (until: number): boolean => performance.now() + lastReuseMs < until;

  // Stage 2: the content weight of the hybrid.
  if (scorers.content) {
    let bestContent = { w: 0, ndcg: -Infinity };
    for (const w of CONTENT_WEIGHTS) {
      if (!reuseFits(stagesDeadline - reserve / 2) && bestContent.ndcg > -Infinity) break;
      const rec = await contentTrial(scorers.content, { cf: 1, content: w });
      if (rec.ndcg > bestContent.ndcg) bestContent = { w, ndcg: rec.ndcg };
    }
    config = { ...config, hybrid: { cf: 1, content: bestContent.w } };
  }

  // Stage 3: re-ranking knobs, pure relevance first, then a seeded random order of the grid.
  // Every setting re-ranks the same candidates: scored (and blended) once, then `batchSize` settings
  // at a time side by side on the pool; a batch starts when one like the last fits.
  const caps = scorers.artist ? ARTIST_CAPS : [2];
  const grid: { lambda: number; exploration: number; artistCap: number }[] = [];
  for (const lambda of LAMBDAS) for (const exploration of EXPLORATIONS) for (const artistCap of caps) grid.push({ lambda, exploration, artistCap });
  const rng = new SeededRandom(seed ^ 0x2545f491);
  for (let i = grid.length - 1; i > 1; i--) {
    const j = 1 + rng.nextInt(i);
    [grid[i], grid[j]] = [grid[j], grid[i]];
  }
  const rerankRecs: TrialRecord[] = [];
  const batchSize = o.threads ?? defaultThreads();
  // The settings re-rank blended candidates when stage 2 chose a content weight: part of the key.
  const blendedWith = config.hybrid?.content ? { content: config.hybrid.content } : {};
  let stage3: RerankStage | undefined;
  try {
    for (let i = 0; i < grid.length; ) {
      if (!reuseFits(stagesDeadline) && rerankRecs.length >= 2) break;
      const batch: { g: (typeof grid)[number]; key: string }[] = [];
      for (; i < grid.length && batch.length < batchSize; i++) {
        const key = trialKey('rerank', { ...cfParams(best.cand), ...blendedWith, ...grid[i] }, full);
        const cached = log.get(key);
        if (cached) rerankRecs.push(cached);
        else batch.push({ g: grid[i], key });
      }
      if (batch.length === 0) continue;
      const t = performance.now();
      const m = await model();
      const scoring = performance.now();
      stage3 ??= await RerankStage.open(m, validation, config, scorers, o.threads);
      const scores = await stage3.score(batch.map((b) => b.g));
      lastReuseMs = performance.now() - scoring;
      const seconds = (performance.now() - t) / 1000 / batch.length;
      batch.forEach(({ g, key }, j) => {
        const rec: TrialRecord = { key, stage: 'rerank', params: g, iterations: full, ndcg: scores[j].ndcg, diversity: scores[j].diversity, seconds };
        log.add(rec);
        say(`rerank ${JSON.stringify(g)}: NDCG@20 ${rec.ndcg.toFixed(4)}, ILD ${scores[j].diversity.toFixed(4)}`);
        rerankRecs.push(rec);
      });
    }
  } finally {
    await stage3?.close();
  }
  const top = Math.max(...rerankRecs.map((r) => r.ndcg));
  const tol = o.rerankTolerance ?? 0.05;
  const chosen = rerankRecs.filter((r) => r.ndcg >= (1 - tol) * top).sort((a, b) => (b.diversity ?? 0) - (a.diversity ?? 0))[0];
  config = { ...config, rerank: chosen.params as { lambda: number; exploration: number; artistCap: number } };

  // The test split, once: the chosen configuration and the defaults (the same training when the
  // defaults stayed best without a content weight).
  const outerSpec = (await splitFor(best.cand.halfLifeDays)).spec;
  const testBest = await testScore(data, outerSpec, cfConfig(best.cand, full), scorers, config.hybrid, o.threads);
  const sameAsBest = best.cand === defaults && !config.hybrid?.content;
  const testDefaults = sameAsBest ? testBest : await testScore(data, (await splitFor(defaults.halfLifeDays)).spec, cfConfig(defaults, full), scorers, undefined, o.threads);
  config = {
    comment: `mixtape tune: ${o.split} split, validation NDCG@20 ${best.ndcg.toFixed(4)} (defaults ${defaultsRec.ndcg.toFixed(4)}), seed ${seed}`,
    ...config,
  };
  return {
    config,
    validation: { defaults: defaultsRec.ndcg, best: best.ndcg },
    test: { defaults: testDefaults, best: testBest },
    trials: { evaluated: log.added, fromLog: log.reused, brackets, search: cfTrials, ...(o.maxTrials !== undefined ? { maxTrials: o.maxTrials } : {}) },
    seconds: (performance.now() - t0) / 1000,
    budget: { seconds: o.budgetMs / 1000, finishSeconds: finishEstimate / 1000, short: defaultsDoneAt - t0 + finishEstimate > o.budgetMs },
  };
}

/** Iterations per rung: the full count at the top, divided by eta per rung below, at least 2. */
export function rungIterations(full: number, eta: number, bracketSize: number): number[] {
  const out = [full];
  let n = bracketSize;
  while (n >= eta && out[0] > 2) {
    out.unshift(Math.max(2, Math.round(out[0] / eta)));
    n = Math.floor(n / eta);
  }
  return [...new Set(out)];
}

async function testScore(data: RunData, spec: SplitSpec, cfg: RunConfig, scorers: Scorers, hybrid: RunConfig['hybrid'], threads?: number): Promise<number> {
  const split = await makeSplit(data, spec);
  const trained = await trainFor(split, cfg, threads);
  const stage = hybrid && hybrid.content ? 'content' : 'cf';
  const { ranker, vectors } = pipelineRanker(trained, split, { ...cfg, ...(hybrid ? { hybrid } : {}) }, scorers, stage);
  return (await scoreRanker(ranker, split, vectors, threads)).ndcg;
}
