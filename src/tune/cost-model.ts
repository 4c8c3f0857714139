/**
 * What tune's work costs on the data at hand, learned from the trials it has run, so the search
 * stops in time for the work that must follow it (the model of the content and re-ranking stages
 * and the two final test trainings) and the whole run ends near its budget rather than a few full
 * trainings after it.
 *
 * A trial is a split (signals and the split itself; built once per decay half-life) plus a
 * training and a scoring. Training is taken as proportional to iterations × factors and scoring to
 * factors, with rates averaged over every trial seen (weighted by work, so the fixed costs of
 * short trials do not dominate).
 */
export class TuneCostModel {
  private splitMs = 0;
  private trainMs = 0;
  private trainUnits = 0;
  private scoreMs = 0;
  private scoreUnits = 0;

  /** A split was built in `ms`; the slowest seen is the estimate (the test split is the largest). */
  observeSplit(ms: number): void {
    this.splitMs = Math.max(this.splitMs, ms);
  }

  /** A trial trained `iterations` × `factors` in `trainMs` and scored in `scoreMs`. */
  observeTrial(factors: number, iterations: number, trainMs: number, scoreMs: number): void {
    this.trainMs += trainMs;
    this.trainUnits += iterations * factors;
    this.scoreMs += scoreMs;
    this.scoreUnits += factors;
  }

  /** Whether any trial has been seen (before that every estimate is 0). */
  get calibrated(): boolean {
    return this.trainUnits > 0;
  }

  /** Estimated ms of a trial; `newSplit` when its split is not built yet. */
  trialMs(factors: number, iterations: number, newSplit: boolean): number {
    const train = this.trainUnits > 0 ? (this.trainMs / this.trainUnits) * iterations * factors : 0;
    const score = this.scoreUnits > 0 ? (this.scoreMs / this.scoreUnits) * factors : 0;
    return (newSplit ? this.splitMs : 0) + train + score;
  }

  /** Estimated ms of `n` trainings of full trials on test splits of their own. */
  testMs(factors: number, iterations: number, n: number): number {
    return n * this.trialMs(factors, iterations, true);
  }

  /**
   * Estimated ms of what follows the search for a best configuration of `factors`: one model on
   * the validation split (content and re-ranking stages) and `testTrainings` test trainings.
   */
  finishMs(factors: number, iterations: number, testTrainings: number): number {
    return this.trialMs(factors, iterations, false) + this.testMs(factors, iterations, testTrainings);
  }
}
