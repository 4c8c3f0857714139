/**
 * Reveal for JSON Lines outputs (`weekly --out week.jsonl`): each line's id field is mapped back,
 * every other field kept as parsed (JSON numbers print back as they were written). A gzip input
 * is read through gunzip; an output named `*.gz` is written compressed.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { gzipMember, isGzipName } from '../util/gzip-output.js';
import { IngestError } from '../data/errors.js';
import { writeStreamedAtomic } from '../util/atomic.js';
import type { RevealSummary } from './reveal.js';

export async function revealJsonl(input: string, out: string, column: string, raw: (token: string) => string | undefined): Promise<RevealSummary> {
  const summary: RevealSummary = { rows: 0, revealed: 0, unknown: 0 };
  const gzipOut = isGzipName(out);
  const text = await textStream(input);
  await writeStreamedAtomic(out, async (sink) => {
    const lines = createInterface({ input: text, crlfDelay: Infinity });
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

/** The file's text: through gunzip when it starts with gzip's magic bytes, whatever its name. */
async function textStream(file: string): Promise<Readable> {
  const fh = await open(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const bytes = createReadStream(file);
  if (head[0] !== 0x1f || head[1] !== 0x8b) return bytes;
  const gunzip = createGunzip();
  bytes.on('error', (err) => gunzip.destroy(err));
  return bytes.pipe(gunzip);
}
