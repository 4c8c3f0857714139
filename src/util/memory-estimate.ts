/**
 * A pre-flight estimate of a training run's peak memory, from the input file's size and a sample
 * of its first rows, so a run that cannot fit is refused before anything is loaded.
 */
import { stat } from 'node:fs/promises';
import { readTextSample } from '../data/byte-source.js';
import { partFilesOf } from '../data/part-files.js';
import { checkInputFile } from '../data/input-file.js';
import { parquetRowsOf } from '../data/columnar-batches.js';

export interface MemoryEstimate {
  bytes: number;
  rows: number;
  users: number;
  items: number;
  detail: string;
}

const SAMPLE_BYTES = 4 << 20;

/** Upper-bound-leaning estimate: rows from a sample (CSV/TSV), the footer (Parquet) or the size (Arrow IPC). */
export async function estimateTrainingMemory(input: string, format: 'counts' | 'events', factors: number): Promise<MemoryEstimate> {
  // A directory of part files: the parts' sizes (and Parquet footers) together, the first part sampled.
  const parts = (await partFilesOf(input)) ?? [input];
  for (const p of parts) await checkInputFile(p);
  const file = parts[0];
  let size = 0;
  for (const p of parts) size += (await stat(p)).size;
  let rows: number;
  let users: number;
  let items: number;
  if (/\.(parquet|pq)$/i.test(file)) {
    // The footer has the row count; assume up to half of the rows are distinct ids.
    rows = await parquetRowsOf(parts);
    users = items = Math.ceil(rows / 2);
  } else if (/\.(arrow|feather|ipc|arrows)$/i.test(file)) {
    // Arrow IPC holds no row count up front: assume ~8 bytes per row on disk.
    rows = Math.ceil(size / 8);
    users = items = Math.ceil(rows / 2);
  } else {
    const sample = await readTextSample(file, SAMPLE_BYTES);
    const lines = sample.bytes.toString('utf8').split('\n');
    if (!sample.complete) lines.pop(); // a partial last line
    const header = lines.shift() ?? '';
    const delim = header.includes('\t') ? '\t' : ',';
    const rowsOfSample = lines.filter((l) => l.length > 0);
    const sampleRows = Math.max(1, rowsOfSample.length);
    // The sample's share of the whole text (of the uncompressed text for gzip), scaled from the
    // first part to all of them by size on disk.
    const firstSize = (await stat(file)).size;
    rows = Math.ceil((sampleRows / sample.fraction) * (size / Math.max(1, firstSize)));
    const u = new Set<string>();
    const it = new Set<string>();
    for (const l of rowsOfSample) {
      const f = l.split(delim);
      u.add(f[0]);
      it.add(f[1]);
    }
    // Distinct ids grow sub-linearly; scaling the sample's share linearly over-estimates, which
    // is the safe direction for a refusal check.
    users = Math.min(rows, Math.ceil((u.size / sampleRows) * rows));
    items = Math.min(rows, Math.ceil((it.size / sampleRows) * rows));
  }
  const perRow = format === 'events' ? 48 : 24; // columnar ingest arrays + aggregation scratch
  const csr = rows * 2 * 16; // user- and item-major CSR with pref and confidence (12 bytes each), and the transpose's 8 of scratch
  const factorsBytes = (users + items) * factors * 4 * 2; // factors + a copy when saving
  const ids = (users + items) * 96; // id strings and dictionary maps
  const runtime = 150 << 20; // Node, the addon, worker threads
  const bytes = rows * perRow + csr + factorsBytes + ids + runtime;
  const mb = (b: number): string => `${Math.round(b / 2 ** 20)} MB`;
  return {
    bytes,
    rows,
    users,
    items,
    detail: `≈${rows.toLocaleString('en')} rows, ≤${users.toLocaleString('en')} users, ≤${items.toLocaleString('en')} items: ingest ${mb(rows * perRow)}, matrices ${mb(csr)}, factors ${mb(factorsBytes)}, ids ${mb(ids)}, runtime ${mb(runtime)}`,
  };
}

/** Parse sizes like 512M, 4G, 1500MB, 2GiB, or plain bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  if (!m) throw new RangeError(`not a size: '${text}' (use e.g. 512M or 4G)`);
  const mult = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * mult);
}
