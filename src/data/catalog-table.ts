/**
 * A catalog file read into columns, before any catalog logic: the known text columns as strings,
 * every other column parsed as numbers. A column counts as numeric when most of its non-missing
 * values are numbers; then any other value in it is junk and an error naming file:line:column.
 * Columns that are mostly text (urls, free text) are set aside and reported.
 */
import * as arrow from 'apache-arrow';
import { readDelimited } from './csv-reader.js';
import { IngestError, quoteValue } from './errors.js';
import { commonFormat, partFilesOf } from './part-files.js';
import { checkInputFile } from './input-file.js';
import { ParquetDecoder } from './parquet-decoder.js';
import { parseNumberBytes } from './parse-number.js';

/** Columns read as text; every other column is a numeric candidate. */
export const TEXT_COLUMNS = ['track_id', 'artist_id', 'title', 'name', 'genres', 'tags', 'release_date'] as const;
export type TextColumn = (typeof TEXT_COLUMNS)[number];

/** Cell spellings of a missing value (compared lower-cased after trimming). */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '-', '?']);

export interface RawTable {
  file: string;
  /** How rows are located in messages: physical lines (text) or data rows (Parquet). */
  locate: 'line' | 'row';
  rows: number;
  /** Line (or row number) of each row, for messages. */
  where: Int32Array;
  /** Lower-cased header names, in file order. */
  names: string[];
  text: Map<TextColumn, string[]>;
  /** Numeric columns, NaN where missing. */
  numeric: Map<string, Float64Array>;
  /** Columns that were neither known text nor numeric. */
  ignored: string[];
  /** Of `ignored`, the numeric candidates without any value (every cell missing). */
  blank?: string[];
  /** A directory input: rows from `start` on came from part `file` (starts ascending). */
  parts?: { file: string; start: number }[];
}

/** The file a row was read from: its part file for a directory input. */
export function rowFile(t: RawTable, row: number): string {
  if (!t.parts) return t.file;
  let file = t.file;
  for (const p of t.parts) if (row >= p.start) file = p.file;
  return file;
}

export interface RawTableOptions {
  delimiter?: ',' | '\t' | ';' | '|';
  /** 'parquet' or 'csv'; by default from the file extension (.parquet / .pq is Parquet). */
  format?: 'csv' | 'parquet';
}

/** True for a cell that spells a missing value. */
export function isMissingCell(s: string): boolean {
  return MISSING.has(s.trim().toLowerCase());
}

/** Collects one numeric candidate column, remembering where its first non-number was. */
class NumericColumn {
  values: Float64Array;
  numbers = 0;
  bad = 0;
  badWhere = 0;
  badValue = '';

  constructor(
    readonly name: string,
    readonly position: number,
    capacity: number,
  ) {
    this.values = new Float64Array(Math.max(16, capacity));
  }

  push(row: number, v: number, raw: () => string, where: number): void {
    if (row >= this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    if (Number.isFinite(v)) {
      this.values[row] = v;
      this.numbers++;
      return;
    }
    this.values[row] = NaN;
    const text = raw();
    if (isMissingCell(text)) return;
    if (this.bad++ === 0) {
      this.badWhere = where;
      this.badValue = text;
    }
  }
}

function locationOf(t: { file: string; locate: 'line' | 'row' }, where: number, position: number): string {
  return t.locate === 'line' ? `${t.file}:${where}:${position}` : `${t.file}:row ${where}:${position}`;
}

/** Decide each numeric candidate: numeric (junk is an error) or a text column set aside. */
function settle(table: RawTable, cols: NumericColumn[], rows: number): void {
  for (const c of cols) {
    if (c.numbers === 0 || c.bad > c.numbers) {
      table.ignored.push(c.name);
      if (c.numbers === 0 && c.bad === 0) (table.blank ??= []).push(c.name);
      continue;
    }
    if (c.bad > 0) {
      throw new IngestError(
        `${locationOf(table, c.badWhere, c.position)}: column '${c.name}': ${quoteValue(c.badValue)} is not a number` +
          (c.bad > 1 ? ` (${c.bad} such values in this column)` : ''),
        table.file,
        c.badWhere,
      );
    }
    table.numeric.set(c.name, c.values.slice(0, rows));
  }
}

/** Read a catalog file (CSV/TSV or Parquet), or a directory of its part files, into columns. */
export async function readRawTable(file: string, opts: RawTableOptions = {}): Promise<RawTable> {
  const formatOf = (f: string): 'csv' | 'parquet' => opts.format ?? (/\.(parquet|pq)$/i.test(f) ? 'parquet' : 'csv');
  const parts = await partFilesOf(file);
  if (!parts) return formatOf(file) === 'parquet' ? readParquetTable(file) : readCsvTable(file, opts);
  const format = commonFormat(file, parts, formatOf);
  const tables: RawTable[] = [];
  // One decoding thread for all Parquet parts, as the event reader keeps one.
  const decoder = format === 'parquet' ? ParquetDecoder.start() : undefined;
  try {
    for (const p of parts) tables.push(decoder ? await readParquetTable(p, decoder) : await readCsvTable(p, opts));
  } finally {
    await decoder?.close();
  }
  return mergeParts(file, tables);
}

/**
 * One table from the tables of a directory's parts: the same columns in each (in any order), rows
 * concatenated in part order. A column numeric in one part may be blank in another (its rows are
 * NaN there), but not text.
 */
function mergeParts(file: string, tables: readonly RawTable[]): RawTable {
  const first = tables[0];
  const sorted = (names: readonly string[]): string => [...names].sort().join('\u0000');
  for (const t of tables) {
    if (sorted(t.names) !== sorted(first.names)) throw new IngestError(`${t.file}: columns ${t.names.join(', ')} differ from the first part's (${first.names.join(', ')})`, t.file);
  }
  const rows = tables.reduce((a, t) => a + t.rows, 0);
  const where = new Int32Array(rows);
  const parts: { file: string; start: number }[] = [];
  let at = 0;
  for (const t of tables) {
    parts.push({ file: t.file, start: at });
    where.set(t.where, at);
    at += t.rows;
  }
  const text = new Map<TextColumn, string[]>();
  for (const name of first.text.keys()) text.set(name, tables.flatMap((t) => t.text.get(name) ?? []));
  const numeric = new Map<string, Float64Array>();
  const ignored: string[] = [];
  for (const name of first.names) {
    if (first.text.has(name as TextColumn)) continue;
    const numericIn = tables.find((t) => t.numeric.has(name));
    if (!numericIn) {
      ignored.push(name);
      continue;
    }
    const textIn = tables.find((t) => !t.numeric.has(name) && !(t.blank ?? []).includes(name));
    if (textIn) throw new IngestError(`${file}: column '${name}' is numeric in ${numericIn.file} but not in ${textIn.file}`, file);
    const values = new Float64Array(rows).fill(Number.NaN);
    for (const [i, t] of tables.entries()) {
      const v = t.numeric.get(name);
      if (v) values.set(v, parts[i].start);
    }
    numeric.set(name, values);
  }
  return { file, locate: first.locate, rows, where, names: first.names, text, numeric, ignored, parts };
}

async function readCsvTable(file: string, opts: RawTableOptions): Promise<RawTable> {
  const table: RawTable = { file, locate: 'line', rows: 0, where: new Int32Array(0), names: [], text: new Map(), numeric: new Map(), ignored: [] };
  const utf8 = new TextDecoder('utf-8');
  let textCols: { name: TextColumn; field: number; values: string[] }[] = [];
  let numCols: { col: NumericColumn; field: number }[] = [];
  let where = new Int32Array(1024);
  let rows = 0;
  let bytes: Uint8Array = new Uint8Array(0);
  let s = 0;
  let e = 0;
  const raw = (): string => utf8.decode(bytes.subarray(s, e));
  await readDelimited(
    file,
    {
      header(info) {
        table.names = info.names.map((n) => n.trim().toLowerCase());
        const seen = new Set<string>();
        table.names.forEach((name, field) => {
          if (seen.has(name)) throw new IngestError(`${file}:1:${field + 1}: duplicate column '${name}'`, file, 1);
          seen.add(name);
          if ((TEXT_COLUMNS as readonly string[]).includes(name)) textCols.push({ name: name as TextColumn, field, values: [] });
          else numCols.push({ col: new NumericColumn(name, field + 1, info.estimatedRows), field });
        });
      },
      row(r) {
        if (rows === where.length) {
          const grown = new Int32Array(where.length * 2);
          grown.set(where);
          where = grown;
        }
        where[rows] = r.line;
        bytes = r.bytes;
        for (const t of textCols) t.values.push(utf8.decode(r.bytes.subarray(r.start[t.field], r.end[t.field])));
        for (const n of numCols) {
          s = r.start[n.field];
          e = r.end[n.field];
          n.col.push(rows, parseNumberBytes(r.bytes, s, e), raw, r.line);
        }
        rows++;
      },
      malformed(line, message) {
        throw new IngestError(`${file}:${line}: ${message}`, file, line);
      },
    },
    { delimiter: opts.delimiter, allowEmpty: true },
  );
  table.rows = rows;
  table.where = where.slice(0, rows);
  for (const t of textCols) table.text.set(t.name, t.values);
  settle(
    table,
    numCols.map((n) => n.col),
    rows,
  );
  textCols = [];
  numCols = [];
  return table;
}

const NUMERIC_TYPES = new Set([arrow.Type.Int, arrow.Type.Float, arrow.Type.Decimal, arrow.Type.Bool]);

/**
 * A Parquet catalog, its row groups decoded on a thread of their own (ParquetDecoder: a corrupt
 * page fails this read without harming later ones) and taken into the columns group by group.
 */
async function readParquetTable(file: string, shared?: ParquetDecoder): Promise<RawTable> {
  await checkInputFile(file);
  return ParquetDecoder.withFile(file, shared, (decoder) => parquetColumns(file, decoder));
}

/** The open file's row groups into a table's columns. */
async function parquetColumns(file: string, decoder: ParquetDecoder): Promise<RawTable> {
  const rows = decoder.rows;
  const where = new Int32Array(rows);
  for (let i = 0; i < rows; i++) where[i] = i + 1;
  const table: RawTable = { file, locate: 'row', rows, where, names: [], text: new Map(), numeric: new Map(), ignored: [] };
  // Per column position: its text cells, or its numeric column.
  const texts: (string[] | undefined)[] = [];
  const numbers: (NumericColumn | undefined)[] = [];
  for (const [position, field] of decoder.fields.entries()) {
    const name = field.trim().toLowerCase();
    table.names.push(name);
    if ((TEXT_COLUMNS as readonly string[]).includes(name)) {
      const values: string[] = new Array(rows);
      table.text.set(name as TextColumn, values);
      texts[position] = values;
    } else numbers[position] = new NumericColumn(name, position + 1, rows);
  }
  const enc = new TextEncoder();
  let offset = 0;
  await decoder.forEachGroup(decoder.fields, async (t) => {
    t.schema.fields.forEach((field, position) => {
      const vec = t.getChildAt(position)!;
      const values = texts[position];
      if (values) {
        for (let i = 0; i < t.numRows; i++) values[offset + i] = cellText(vec.get(i));
        return;
      }
      const col = numbers[position]!;
      const numericType = NUMERIC_TYPES.has(field.type.typeId);
      for (let i = 0; i < t.numRows; i++) {
        const r = offset + i;
        const v: unknown = vec.get(i);
        if (v === null || v === undefined) col.push(r, NaN, () => '', r + 1);
        else if (numericType) col.push(r, Number(v), () => String(v), r + 1);
        else {
          const text = cellText(v);
          const b = enc.encode(text);
          col.push(r, parseNumberBytes(b, 0, b.length), () => text, r + 1);
        }
      }
    });
    offset += t.numRows;
  });
  settle(table, numbers.filter((c): c is NumericColumn => c !== undefined), rows);
  return table;
}

/** Text of an Arrow cell: strings as is, dates as ISO, lists joined with `|`. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (typeof v === 'object' && v !== null && Symbol.iterator in v) return [...(v as Iterable<unknown>)].map(cellText).join('|');
  return String(v);
}
