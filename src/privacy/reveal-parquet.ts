/**
 * Reveal for Parquet outputs (`weekly --out week.parquet`, other writers' tables): the id column
 * of each row group is mapped back and the table written again with its other columns as they
 * were (types, nulls and order kept).
 */
import { readFile } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { IngestError } from '../data/errors.js';
import { ParquetDecoder } from '../data/parquet-decoder.js';
import { encodeParquetTo } from '../model/columnar.js';
import { writeStreamedAtomic } from '../util/atomic.js';
import type { RevealSummary } from './reveal.js';

export async function revealParquet(input: string, out: string, column: string, raw: (token: string) => string | undefined): Promise<RevealSummary> {
  const summary: RevealSummary = { rows: 0, revealed: 0, unknown: 0 };
  const batches: arrow.RecordBatch[] = [];
  await ParquetDecoder.withFile(input, undefined, async (decoder) => {
    const fields = decoder.fields;
    if (!fields.includes(column)) throw new IngestError(`${input}: missing column '${column}' (columns: ${fields.join(', ')})`, input);
    await decoder.forEachGroup(fields, async (table) => {
      const ids = table.getChild(column)!;
      if (!arrow.DataType.isUtf8(ids.type) && !arrow.DataType.isLargeUtf8(ids.type)) throw new IngestError(`${input}: column '${column}' has type ${ids.type}, expected strings (tokens)`, input);
      const revealed: (string | null)[] = new Array(table.numRows);
      for (let i = 0; i < table.numRows; i++) {
        const id = ids.get(i) as string | null;
        const found = id === null ? undefined : raw(id);
        if (found === undefined) summary.unknown++;
        else summary.revealed++;
        revealed[i] = found ?? id;
      }
      summary.rows += table.numRows;
      const columns = Object.fromEntries(table.schema.fields.map((f) => [f.name, f.name === column ? arrow.vectorFromArray(revealed, new arrow.Utf8()) : table.getChild(f.name)!]));
      batches.push(...new arrow.Table(columns).batches);
    });
  });
  // No row group, no id: the output is the input.
  if (batches.length === 0) await writeStreamedAtomic(out, async (sink) => sink(await readFile(input)));
  else await writeStreamedAtomic(out, (sink) => encodeParquetTo(new arrow.Table(batches), sink));
  return summary;
}
