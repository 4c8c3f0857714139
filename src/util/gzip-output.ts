/**
 * Text outputs named `*.gz` are written gzip-compressed, as text inputs so named are read: a
 * file of plain text under a .gz name fails every tool that trusts the name (zcat, pandas,
 * Spark). The text is compressed a flushed piece (about 1 MiB) at a time, each piece a gzip
 * member of its own: a file of concatenated members is one valid gzip file (RFC 1952), read
 * whole by gunzip, zcat, Python's gzip module and Node's zlib, and no compressor state is held.
 */
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import { writeFileAtomic } from './atomic.js';

export function isGzipName(file: string): boolean {
  return /\.gz$/i.test(file);
}

const gzipAsync = promisify(gzip);

/** One gzip member of `piece`, compressed on the libuv pool. */
export function gzipMember(piece: Uint8Array | string): Promise<Buffer> {
  return gzipAsync(piece);
}

/** One gzip member of `piece`, compressed on the calling thread (for synchronous writers). */
export function gzipMemberSync(piece: Uint8Array | string): Buffer {
  return gzipSync(piece);
}

/** A text output (a report) written atomically, gzip-compressed when its name ends in .gz. */
export async function writeTextOutput(file: string, text: string): Promise<void> {
  await writeFileAtomic(file, isGzipName(file) ? await gzipMember(text) : text);
}
