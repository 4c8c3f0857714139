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

/** Where a blob's bytes come from: a copy of [start, end) in an ArrayBuffer of its own. */
type ReadRange = (start: number, end: number) => Promise<ArrayBuffer>;

/** A range [start, end) of a source, sliced as Blob.slice does. */
class RangeBlob {
  constructor(
    private readonly read: ReadRange,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  /** As Blob.slice: negative positions count from the end; both are clamped to the blob. */
  slice(start = 0, end = this.size): RangeBlob {
    const at = (p: number): number => Math.min(this.size, Math.max(0, p < 0 ? this.size + p : p));
    const a = at(start);
    return new RangeBlob(this.read, this.start + a, this.start + Math.max(a, at(end)));
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.read(this.start, this.end);
  }
}

/** A copy of the range (a Buffer's `slice` would be a view). */
function readBytes(bytes: Uint8Array): ReadRange {
  return async (start, end) => {
    const out = new Uint8Array(end - start);
    out.set(bytes.subarray(start, end));
    return out.buffer;
  };
}

/** Positioned reads of the range into a buffer of its size. */
function readFile(fh: FileHandle): ReadRange {
  return async (start, end) => {
    const out = new Uint8Array(end - start);
    for (let done = 0; done < out.length; ) {
      const { bytesRead } = await fh.read(out, done, out.length - done, start + done);
      // As Node's file Blobs do, a file cut short since it was opened is an error, not short data.
      if (bytesRead === 0) throw new Error(`the file ended at byte ${start + done} while reading up to byte ${end}: was it changed while being read?`);
      done += bytesRead;
    }
    return out.buffer;
  };
}

/** Bytes already in memory as a Blob. */
export function bytesAsBlob(bytes: Uint8Array): Blob {
  return new RangeBlob(readBytes(bytes), 0, bytes.length) as unknown as Blob;
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
    return { blob: new RangeBlob(readFile(fh), 0, size) as unknown as Blob, close: () => fh.close() };
  } catch (err) {
    await fh.close();
    throw err;
  }
}
