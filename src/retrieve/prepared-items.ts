/**
 * The item side of exact top-k, quantized once per item matrix for the native kernel's 8-bit
 * pre-filter. A call given prepared items skips quantizing V, so the pre-filter pays from one
 * user on: one user's top-50 over 200,000 tracks × 64 reads a quarter of the bytes the float
 * kernel does. Only builds with VNNI take the pre-filter by default, so elsewhere nothing is
 * prepared; nor is an item matrix outside shared memory (calls are checked against its memory).
 */
import { nativeInfo, prepareItemsAsync, type PreparedItems } from '../native/index.js';

const worthPreparing = nativeInfo().topkPrefilter === 'vnni';

function preparable(V: Float32Array): boolean {
  return worthPreparing && V.length > 0 && V.buffer instanceof SharedArrayBuffer;
}

/**
 * Prepared items for one item matrix at a time, rebuilt when asked for another one (another
 * memory: the contents are not compared, so the matrix must not be written while it is used).
 */
export class PreparedItemsCache {
  private held?: PreparedItems;
  private pending?: { V: Float32Array; factors: number; build: Promise<PreparedItems> };

  /**
   * The prepared items of V when held; otherwise undefined, and a build starts on the thread pool
   * for later calls. A call meanwhile quantizes per call or runs the float kernel (the kernel's
   * choice): one float pass costs less than waiting for the build.
   */
  current(V: Float32Array, factors: number): PreparedItems | undefined {
    if (!preparable(V)) return undefined;
    if (this.held?.matches({ V, factors })) return this.held;
    this.getAsync(V, factors).catch(() => undefined); // a failed build is retried by the next call
    return undefined;
  }

  /** The prepared items of V, built on the thread pool when not held; overlapping callers share one build. */
  async getAsync(V: Float32Array, factors: number): Promise<PreparedItems | undefined> {
    if (!preparable(V)) return undefined;
    if (this.held?.matches({ V, factors })) return this.held;
    if (!this.pending || this.pending.V !== V || this.pending.factors !== factors) {
      const build = prepareItemsAsync({ V, factors });
      const pending = { V, factors, build };
      this.pending = pending;
      build.then(
        (p) => {
          if (this.pending === pending) [this.held, this.pending] = [p, undefined];
        },
        () => {
          if (this.pending === pending) this.pending = undefined;
        },
      );
    }
    return this.pending.build;
  }
}

const byMatrix = new WeakMap<Float32Array, PreparedItemsCache>();

/** The cache of one item matrix object, so a model's calls and its playlists share one build. */
export function preparedItemsOf(V: Float32Array): PreparedItemsCache {
  let cache = byMatrix.get(V);
  if (!cache) byMatrix.set(V, (cache = new PreparedItemsCache()));
  return cache;
}
