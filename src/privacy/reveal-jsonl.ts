/**
 * Reveal for JSON Lines outputs (`weekly --out week.jsonl`): each line's id field is mapped back,
 * every other field kept as parsed (JSON numbers print back as they were written). A gzip input
 * is read as every text input is; an output named `*.gz` is written compressed.
 */
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { openByteSource } from '../data/byte-source.js';
import { gzipMember, isGzipName } from '../util/gzip-output.js';
import { IngestError } from '../data/errors.js';
import { writeStreamedAtomic } from '../util/atomic.js';
import type { OnReadProgress } from '../data/read-progress.js';
import type { RevealSummary } from './reveal.js';

export async function revealJsonl(input: string, out: string, column: string, raw: (token: string) => string | undefined, onProgress?: OnReadProgress): Promise<RevealSummary> {
  const summary: RevealSummary = { rows: 0, revealed: 0, unknown: 0 };
  const gzipOut = isGzipName(out);
  await writeStreamedAtomic(out, async (sink) => {
    const lines = createInterface({ input: Readable.from(textChunks(input, onProgress)), crlfDelay: Infinity });
    let n = 0;
    let chunk = '';
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch (err) {
        throw new IngestError(`${input}:${n}: not a JSON object (${(err as Error).message})`, input, n);
      }
      if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new IngestError(`${input}:${n}: not a JSON object`, input, n);
      const row = rec as Record<string, unknown>;
      if (!(column in row)) throw new IngestError(`${input}:${n}: no field '${column}'`, input, n);
      summary.rows++;
      const id = row[column];
      const found = typeof id === 'string' ? raw(id) : undefined;
      if (found === undefined) summary.unknown++;
      else {
        row[column] = found;
        summary.revealed++;
      }
      chunk += JSON.stringify(row) + '\n';
      if (chunk.length >= 1 << 20) {
        await sink(gzipOut ? await gzipMember(chunk) : Buffer.from(chunk));
        chunk = '';
      }
    }
    if (chunk) await sink(gzipOut ? await gzipMember(chunk) : Buffer.from(chunk));
  });
  return summary;
}

/** The file's text, a chunk at a time, as every text input is read (gzip decompressed; other compressions refused). */
async function* textChunks(file: string, onProgress?: OnReadProgress): AsyncGenerator<Buffer> {
  const src = await openByteSource(file);
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(1 << 20);
      const n = await src.read(buf, 0, buf.length);
      onProgress?.({ done: src.fileBytesRead, total: src.fileBytes, unit: 'bytes' });
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    await src.close();
  }
}
