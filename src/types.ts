/**
 * Public data contracts shared by every stage. Each stage takes these plain, typed values in and
 * hands new ones on; nothing here is mutated after the stage that produced it returns.
 */

/** Event kinds understood by the signals stage. Unknown kinds are kept as `other` and reported. */
export const EVENT_KINDS = ['play', 'skip', 'like', 'dislike', 'playlist_add', 'share', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
/** Numeric code of an event kind as stored in `EventLog.kind` (index into EVENT_KINDS). */
export const EVENT_CODE: Readonly<Record<EventKind, number>> = Object.freeze(
  Object.fromEntries(EVENT_KINDS.map((k, i) => [k, i])) as Record<EventKind, number>,
);

/** An append-only string ↔ dense index dictionary. */
export interface IdDictionary {
  /** ids[i] is the external id of index i. */
  readonly ids: readonly string[];
  /** Index of an external id, or undefined. */
  get(id: string): number | undefined;
  readonly size: number;
}

/**
 * A columnar listening log: one entry per event across parallel typed arrays.
 * Never one JS object per event.
 */
export interface EventLog {
  readonly length: number;
  readonly users: IdDictionary;
  readonly tracks: IdDictionary;
  /** Dense user index per event. */
  readonly user: Int32Array;
  /** Dense track index per event. */
  readonly track: Int32Array;
  /** Event time, epoch milliseconds (float64 so it is exact). */
  readonly timestamp: Float64Array;
  /** Event kind code (see EVENT_CODE). */
  readonly kind: Uint8Array;
  /** Milliseconds played; NaN when unknown. */
  readonly msPlayed: Float32Array;
  /** Track duration in ms when the log carries it; NaN when unknown. */
  readonly durationMs?: Float32Array;
  /** Artist index per event (into `artists`), -1 when unknown. */
  readonly artist?: Int32Array;
  readonly artists?: IdDictionary;
  /** Context index per event (into `contexts`), -1 when unknown. */
  readonly context?: Int32Array;
  readonly contexts?: IdDictionary;
}

/**
 * Users × tracks sparse matrix in CSR form with a preference and an evidence weight per entry: the
 * input of implicit ALS. pref is 1 for positive evidence and 0 for negative evidence (skips,
 * dislikes); weight ≥ 0 is how much evidence there is. Training turns weight into the confidence
 * c = 1 + alpha·w (or 1 + alpha·log(1 + w/ε)), so alpha can be tuned without re-ingesting.
 * Unobserved entries implicitly have p = 0, c = 1.
 */
export interface Interactions {
  readonly users: IdDictionary;
  readonly items: IdDictionary;
  /** Row pointers, length users.size + 1. */
  readonly indptr: Int32Array;
  /** Column (item) index per entry, sorted ascending within each row. */
  readonly indices: Int32Array;
  readonly pref: Float32Array;
  readonly weight: Float32Array;
  /** Per-user trust in [0, 1], when an anomaly stage produced it. */
  readonly trust?: Float32Array;
}

/** Trained latent factors: row-major float32 matrices. */
export interface Factors {
  readonly factors: number;
  /** users × factors */
  readonly user: Float32Array;
  /** items × factors */
  readonly item: Float32Array;
}

export type Solver = 'cg' | 'cholesky';
export type ConfidenceMode = 'linear' | 'log';

/** Options of `train`. */
export interface TrainOptions {
  /** Latent dimension k (default 64). */
  factors?: number;
  /** ALS sweeps (default 15). */
  iterations?: number;
  /** λ of the L2 penalty (default 0.01). */
  regularization?: number;
  /** Confidence scale α (default 2). */
  alpha?: number;
  /** How weights become confidence: 'log' 1 + α·log(1 + w/ε) (default), 'linear' 1 + α·w. */
  confidence?: ConfidenceMode;
  /** ε of the log confidence (default 1). */
  epsilon?: number;
  /** Solver for each row (default 'cg'). */
  solver?: Solver;
  /** Conjugate-gradient steps per row and sweep (default 3). */
  cgSteps?: number;
  /** Worker threads (default: usable cores). */
  threads?: number;
  /** Seed of the factor initialisation (default 42). */
  seed?: number;
  /** Compute the loss after each iteration (default true when onIteration is given). */
  computeLoss?: boolean;
  /** Called after every iteration. */
  onIteration?: (info: IterationInfo) => void;
}

export interface IterationInfo {
  iteration: number;
  seconds: number;
  /** Normalised implicit-ALS loss, NaN when not computed. */
  loss: number;
}

/** Where training starts from (a checkpoint) and what it hands over after each sweep (`train`'s third argument). */
export interface TrainHooks {
  /** Factors to go on from, after `completedIterations` sweeps (with their history). */
  initial?: { userFactors: Float32Array; itemFactors: Float32Array; completedIterations: number; history?: IterationInfo[] };
  /** Called after every sweep with the factors so far (a checkpoint writer); training waits for it. */
  afterIteration?: (state: { iteration: number; userFactors: Float32Array; itemFactors: Float32Array; info: IterationInfo; history: readonly IterationInfo[] }) => Promise<void> | void;
}

/** One recommended track. */
export interface Recommendation {
  trackId: string;
  score: number;
}
