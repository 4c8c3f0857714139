/**
 * A column among a file's names: the exact name, else the one name equal to it ignoring case.
 * A name that matches twice (a header with user_id twice, or User_ID beside user_id) is refused:
 * a reader would take one of them without a word.
 */
import { IngestError, MissingColumnError } from './errors.js';

/** Index of `wanted` in `names`, or -1 when the file has no such column. */
export function findColumn(file: string, names: readonly string[], wanted: string): number {
  let hits = positions(names, (n) => n === wanted);
  if (hits.length === 0) {
    const lower = wanted.toLowerCase();
    hits = positions(names, (n) => n.toLowerCase() === lower);
  }
  if (hits.length > 1) {
    const at = hits.map((i) => `'${names[i]}' (column ${i + 1})`).join(', ');
    throw new IngestError(`${file}: column '${wanted}' is ambiguous: the header has ${at}; rename or drop all but one`, file);
  }
  return hits.length === 1 ? hits[0] : -1;
}

/** Index of `wanted` in `names`; a missing column is an error naming the columns there are. */
export function requireColumn(file: string, names: readonly string[], wanted: string): number {
  const i = findColumn(file, names, wanted);
  if (i < 0) throw new MissingColumnError(file, wanted, names);
  return i;
}

/**
 * An optional column: one named explicitly (a flag) must exist; without a name, `fallback` is looked
 * for and may be absent (-1).
 */
export function optionalColumn(file: string, names: readonly string[], explicit: string | undefined, fallback: string): number {
  return explicit !== undefined ? requireColumn(file, names, explicit) : findColumn(file, names, fallback);
}

function positions(names: readonly string[], match: (n: string) => boolean): number[] {
  const out: number[] = [];
  names.forEach((n, i) => {
    if (match(n)) out.push(i);
  });
  return out;
}
