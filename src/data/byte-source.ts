/**
 * The bytes of a text input in order, plain or gzip-compressed (`events.csv.gz`, as logs are
 * usually shipped): the format is told by the file's first bytes, not its name. Other compressions
 * and binary formats given as text are refused with a message that says what the file is, instead
 * of being parsed into a header of binary garbage.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { IngestError } from './errors.js';
import { errorMessage } from '../util/error-message.js';

export interface ByteSource {
  /** Reads up to `length` bytes into buf at offset; 0 at the end. */
  read(buf: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
  readonly compression: 'none' | 'gzip';
  /** Size on disk. */
  readonly fileBytes: number;
  /** Bytes of the file consumed so far (compressed bytes for gzip). */
  readonly fileBytesRead: number;
  /** The whole text's size in bytes, estimated after `textBytesRead` bytes were read (exact when plain). */
  estimatedTextBytes(textBytesRead: number): number;
}

/** Leading bytes of formats a text reader cannot take, and what to do instead. */
const REFUSED: { magic: number[]; what: string }[] = [
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed: decompress it first (zstd -d) or use gzip' },
  { magic: [0x42, 0x5a, 0x68], what: 'bzip2-compressed: decompress it first (bunzip2) or use gzip' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed: decompress it first (unxz) or use gzip' },
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive: extract the file first' },
  { magic: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file: give it a .parquet name' },
  { magic: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], what: 'an Arrow IPC file: give it an .arrow name' },
];

const GZIP = [0x1f, 0x8b];

function startsWith(head: Buffer, n: number, magic: number[]): boolean {
  return n >= magic.length && magic.every((b, i) => head[i] === b);
}

/**
 * Opens a text input (checked to exist by the caller), decompressing gzip on the fly. `start`
 * (plain files only) begins the reads at that byte, for reading a range of the file.
 */
export async function openByteSource(file: string, start = 0): Promise<ByteSource> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw new IngestError(`${file}: cannot open: ${errorMessage(err)}`, file);
  }
  try {
    const fileBytes = (await fh.stat()).size;
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    for (const r of REFUSED) if (startsWith(head, bytesRead, r.magic)) throw new IngestError(`${file}: cannot read as text: the file is ${r.what}`, file);
    if (startsWith(head, bytesRead, GZIP)) {
      if (start > 0) throw new IngestError(`${file}: a gzip file cannot be read from byte ${start}`, file);
      await fh.close();
      return new GunzipSource(file, fileBytes);
    }
    return plainSource(fh, fileBytes, start);
  } catch (err) {
    await fh.close().catch(() => {});
    throw err;
  }
}

function plainSource(fh: FileHandle, fileBytes: number, start: number): ByteSource {
  let consumed = start;
  return {
    compression: 'none',
    fileBytes,
    get fileBytesRead() {
      return consumed;
    },
    read: async (buf, offset, length) => {
      const n = (await fh.read(buf, offset, length, consumed)).bytesRead;
      consumed += n;
      return n;
    },
    estimatedTextBytes: () => fileBytes,
    close: () => fh.close(),
  };
}

/** Pulls decompressed chunks from a gunzip stream (it runs on the libuv pool, beside the parser). */
class GunzipSource implements ByteSource {
  readonly compression = 'gzip';
  private readonly gunzip: Gunzip;
  private readonly chunks: AsyncIterator<Buffer>;
  private chunk: Buffer | undefined;
  private at = 0;

  constructor(
    private readonly file: string,
    readonly fileBytes: number,
  ) {
    // Large chunks: the default 16 KiB ones cost an async hand-off each.
    this.gunzip = createGunzip({ chunkSize: 1 << 20 });
    // Errors of either side (unreadable file, corrupt or truncated data) end the iteration with the error.
    pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), this.gunzip, () => {});
    this.chunks = this.gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  get fileBytesRead(): number {
    return this.gunzip.bytesWritten;
  }

  /** Scales what was read by the compression ratio seen so far. */
  estimatedTextBytes(textBytesRead: number): number {
    const consumed = this.gunzip.bytesWritten;
    return consumed > 0 ? Math.ceil((textBytesRead * this.fileBytes) / consumed) : textBytesRead;
  }

  async read(buf: Buffer, offset: number, length: number): Promise<number> {
    while (!this.chunk || this.at >= this.chunk.length) {
      let next: IteratorResult<Buffer>;
      try {
        next = await this.chunks.next();
      } catch (err) {
        throw new IngestError(`${this.file}: gzip: ${errorMessage(err)}`, this.file);
      }
      if (next.done) return 0;
      this.chunk = next.value;
      this.at = 0;
    }
    const n = Math.min(length, this.chunk.length - this.at);
    this.chunk.copy(buf, offset, this.at, this.at + n);
    this.at += n;
    return n;
  }

  async close(): Promise<void> {
    this.gunzip.destroy();
  }
}

/**
 * The first `maxBytes` of the text and how much of the file they stand for (their share of the
 * uncompressed whole, estimated from the compressed bytes consumed for gzip).
 */
export async function readTextSample(file: string, maxBytes: number): Promise<{ bytes: Buffer; complete: boolean; fraction: number }> {
  const src = await openByteSource(file);
  try {
    const buf = Buffer.alloc(Math.max(1, maxBytes));
    let n = 0;
    while (n < buf.length) {
      const r = await src.read(buf, n, buf.length - n);
      if (r === 0) return { bytes: buf.subarray(0, n), complete: true, fraction: 1 };
      n += r;
    }
    return { bytes: buf.subarray(0, n), complete: false, fraction: Math.min(1, n / Math.max(1, src.estimatedTextBytes(n))) };
  } finally {
    await src.close();
  }
}
