/**
 * Bounded top-k selection over (score, index) pairs with a typed-array min-heap. Order is by score
 * descending, ties by lower index first, so rankings are deterministic.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly ids: Int32Array;
  private size = 0;

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  /** Offer a candidate; kept when it beats the current worst (or there is room). */
  push(id: number, score: number): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      let c = this.size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (!this.worse(score, id, this.scores[parent], this.ids[parent])) break;
        this.scores[c] = this.scores[parent];
        this.ids[c] = this.ids[parent];
        c = parent;
      }
      this.scores[c] = score;
      this.ids[c] = id;
      return;
    }
    if (!this.worse(this.scores[0], this.ids[0], score, id)) return;
    this.siftDownFromRoot(id, score);
  }

  /** Write the kept ids best-first into out[offset, offset + capacity), −1 padded; returns the count; empties the heap. */
  drainInto(out: Int32Array, offset: number, outScores?: Float64Array): number {
    const n = this.size;
    for (let j = n; j < this.capacity; j++) out[offset + j] = -1;
    for (let j = n - 1; j >= 0; j--) {
      out[offset + j] = this.ids[0];
      if (outScores) outScores[offset + j] = this.scores[0];
      const lastId = this.ids[this.size - 1];
      const lastScore = this.scores[this.size - 1];
      this.size--;
      if (this.size > 0) this.siftDownFromRoot(lastId, lastScore);
    }
    return n;
  }

  /** a is worse than b: lower score, or equal score and higher index. */
  private worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }

  private siftDownFromRoot(id: number, score: number): void {
    let c = 0;
    for (;;) {
      let child = 2 * c + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.worse(this.scores[child + 1], this.ids[child + 1], this.scores[child], this.ids[child])) child++;
      if (!this.worse(this.scores[child], this.ids[child], score, id)) break;
      this.scores[c] = this.scores[child];
      this.ids[c] = this.ids[child];
      c = child;
    }
    this.scores[c] = score;
    this.ids[c] = id;
  }
}
