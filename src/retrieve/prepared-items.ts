/**
 * The item side of exact top-k, quantized once per item matrix for the native kernel's 8-bit
 * pre-filter. A call given prepared items skips quantizing V, so the pre-filter pays from one
 * user on: one user's top-50 over 200,000 tracks × 64 reads a quarter of the bytes the float
 * kernel does. Only builds with VNNI take the pre-filter by default, so elsewhere nothing is
 * prepared; nor is an item matrix outside shared memory (calls are checked against its memory).
 * MIXTAPE_PREPARED_ITEMS=0 turns preparing off (the results are the same; for comparisons).
 */
import { nativeInfo, prepareItemsAsync, type PreparedItems } from '../native/index.js';

const worthPreparing = process.env.MIXTAPE_PREPARED_ITEMS !== '0' && nativeInfo().topkPrefilter === 'vnni';

function preparable(V: Float32Array): boolean {
  return worthPreparing && V.length > 0 && V.buffer instanceof SharedArrayBuffer;
}

/**
 * Prepared items for one item matrix at a time, rebuilt when asked for another one (another
 * memory: the contents are not compared, so the matrix must not be written while it is used).
 * One build runs at a time: a worker receives the same matrix as a new view with every task, so
 * builds cannot be told apart before one is done, and starting one per task piled them up.
 */
export class PreparedItemsCache {
  private held?: PreparedItems;
  private building?: Promise<void>;
  private started = 0;

  /** Builds started so far (each a pass over the item matrix). */
  get builds(): number {
    return this.started;
  }

  /**
   * The prepared items of V when held; otherwise undefined, and a build starts on the thread pool
   * (unless one runs) for later calls. A call meanwhile quantizes per call or runs the float
   * kernel (the kernel's choice): one float pass costs less than waiting for the build.
   */
  current(V: Float32Array, factors: number): PreparedItems | undefined {
    if (!preparable(V)) return undefined;
    if (this.held?.matches({ V, factors })) return this.held;
    if (!this.building) this.start(V, factors);
    return undefined;
  }

  /** The prepared items of V, built on the thread pool when not held; overlapping callers share one build. */
  async getAsync(V: Float32Array, factors: number): Promise<PreparedItems | undefined> {
    if (!preparable(V)) return undefined;
    while (!this.held?.matches({ V, factors })) {
      const mine = !this.building;
      const build = this.building ?? this.start(V, factors);
      try {
        await build;
      } catch (e) {
        if (mine) throw e; // another caller's build of other memory may fail without concern to this one
      }
    }
    return this.held;
  }

  private start(V: Float32Array, factors: number): Promise<void> {
    this.started++;
    const build = prepareItemsAsync({ V, factors }).then((p) => {
      this.held = p;
    });
    this.building = build;
    // Also handles a failed build started by current(), whose caller does not wait for it.
    build.then(
      () => (this.building = undefined),
      () => (this.building = undefined),
    );
    return build;
  }
}

const byOwner = new WeakMap<object, PreparedItemsCache>();

/**
 * The cache of an item matrix's owner (a model's data), so a model's calls and its playlists share
 * one build. Keyed by the owner, not the matrix: prepared items hold their matrix from native
 * code, so an entry keyed by the matrix would keep itself, and the model, alive for good.
 */
export function preparedItemsOf(owner: object): PreparedItemsCache {
  let cache = byOwner.get(owner);
  if (!cache) byOwner.set(owner, (cache = new PreparedItemsCache()));
  return cache;
}
