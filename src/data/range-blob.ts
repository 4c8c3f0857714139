/**
 * The Blob that parquet-wasm's ParquetFile.fromFile reads row groups from, over bytes in memory
 * or an open file. parquet-wasm calls only `size`, `slice(start, end)` and `arrayBuffer()` on
 * what it is given, so these answer them directly: a range read is one copy of the range (bytes)
 * or one positioned read into a buffer of its size (file).
 * Node's own Blobs cost more: `new Blob([bytes])` copied a model's 261 MB users file in 1.2 s, and
 * every range read of it, or of `fs.openAsBlob`, goes through Node's Blob stream reader, which
 * reads in small chunks and joins them (0.9 s more for that file; about 6 s of a 100 M-event read).
 */
import { open, type FileHandle } from 'node:fs/promises';

/** The common part: a range [start, end) of some source, sliced as Blob.slice does. */
abstract class RangeBlob {
  constructor(
    protected readonly start: number,
    protected readonly end: number,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  /** As Blob.slice: negative positions count from the end; both are clamped to the blob. */
  slice(start = 0, end = this.size): RangeBlob {
    const at = (p: number): number => Math.min(this.size, Math.max(0, p < 0 ? this.size + p : p));
    const a = at(start);
    return this.range(this.start + a, this.start + Math.max(a, at(end)));
  }

  /** The bytes of the range in an ArrayBuffer of their own. */
  abstract arrayBuffer(): Promise<ArrayBuffer>;
  /** The same source narrowed to [start, end) of it. */
  protected abstract range(start: number, end: number): RangeBlob;
}

class BytesBlob extends RangeBlob {
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    end: number,
  ) {
    super(start, end);
  }

  protected range(start: number, end: number): BytesBlob {
    return new BytesBlob(this.bytes, start, end);
  }

  /** A copy (a Buffer's `slice` would be a view). */
  async arrayBuffer(): Promise<ArrayBuffer> {
    const out = new Uint8Array(this.size);
    out.set(this.bytes.subarray(this.start, this.end));
    return out.buffer;
  }
}

class FileBlob extends RangeBlob {
  constructor(
    private readonly fh: FileHandle,
    start: number,
    end: number,
  ) {
    super(start, end);
  }

  protected range(start: number, end: number): FileBlob {
    return new FileBlob(this.fh, start, end);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const out = new Uint8Array(this.size);
    for (let done = 0; done < out.length; ) {
      const { bytesRead } = await this.fh.read(out, done, out.length - done, this.start + done);
      // As Node's file Blobs do, a file cut short since it was opened is an error, not short data.
      if (bytesRead === 0) throw new Error(`the file ended at byte ${this.start + done} while reading up to byte ${this.end}: was it changed while being read?`);
      done += bytesRead;
    }
    return out.buffer;
  }
}

/** Bytes already in memory as a Blob. */
export function bytesAsBlob(bytes: Uint8Array): Blob {
  return new BytesBlob(bytes, 0, bytes.length) as unknown as Blob;
}

/** An open file as a Blob of its bytes at opening; `close` it once nothing reads the blob. */
export interface OpenFileBlob {
  blob: Blob;
  close(): Promise<void>;
}

/** Opens `file` for reading as a Blob (errors are fs.open's and fstat's). */
export async function openFileAsBlob(file: string): Promise<OpenFileBlob> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    return { blob: new FileBlob(fh, 0, size) as unknown as Blob, close: () => fh.close() };
  } catch (err) {
    await fh.close();
    throw err;
  }
}
