/**
 * Bytes already in memory as the Blob that parquet-wasm's ParquetFile.fromFile reads row groups
 * from. `new Blob([bytes])` copied a model's 261 MB users file in 1.2 s, and every range read then
 * went through Node's Blob stream reader (0.9 s more for the file), about 4 s of a 10 s load.
 * parquet-wasm calls only `size`, `slice(start, end)` and `arrayBuffer()` on what it is given, so
 * this answers them from the bytes: a range read is one copy of the range.
 */
export function bytesAsBlob(bytes: Uint8Array): Blob {
  return new BytesBlob(bytes, 0, bytes.length) as unknown as Blob;
}

class BytesBlob {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  /** As Blob.slice: negative positions count from the end; both are clamped to the blob. */
  slice(start = 0, end = this.size): BytesBlob {
    const at = (p: number): number => Math.min(this.size, Math.max(0, p < 0 ? this.size + p : p));
    const a = at(start);
    return new BytesBlob(this.bytes, this.start + a, this.start + Math.max(a, at(end)));
  }

  /** A copy of the range in an ArrayBuffer of its own (a Buffer's `slice` would be a view). */
  async arrayBuffer(): Promise<ArrayBuffer> {
    const out = new Uint8Array(this.end - this.start);
    out.set(this.bytes.subarray(this.start, this.end));
    return out.buffer;
  }
}
