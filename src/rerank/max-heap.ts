/**
 * A max-heap of (id, key) over typed arrays for the lazy greedy selections of the re-ranker: keys
 * are upper bounds that only fall, so the top is refreshed and sifted down until an up-to-date
 * entry leads. Equal keys go to the lower id, so a selection matches a scan that keeps the first
 * best.
 */
export class MaxHeap {
  private readonly ids: Int32Array;
  private readonly keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  /** Empties the heap; entries then `add`ed are ordered by `heapify`. */
  clear(): void {
    this.size = 0;
  }

  add(id: number, key: number): void {
    this.ids[this.size] = id;
    this.keys[this.size] = key;
    this.size++;
  }

  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get topId(): number {
    return this.ids[0];
  }

  /** Gives the top a new key (no larger than its old one) and restores the order. */
  lowerTop(key: number): void {
    this.keys[0] = key;
    this.siftDown(0);
  }

  pop(): void {
    this.size--;
    if (this.size > 0) {
      this.ids[0] = this.ids[this.size];
      this.keys[0] = this.keys[this.size];
      this.siftDown(0);
    }
  }

  private siftDown(i: number): void {
    const h = this.ids;
    const key = this.keys;
    const n = this.size;
    const id = h[i];
    const v = key[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (key[c + 1] > key[c] || (key[c + 1] === key[c] && h[c + 1] < h[c]))) c++;
      if (key[c] < v || (key[c] === v && h[c] > id)) break;
      h[i] = h[c];
      key[i] = key[c];
      i = c;
    }
    h[i] = id;
    key[i] = v;
  }
}
