/**
 * Release dates as epoch ms. Catalogs give dates at year, month or day precision (`1999`,
 * `1999-07`, `1999-07-14`), sometimes with a time, or as epoch numbers; partial dates are taken
 * at the first day of their period (00:00 UTC).
 */
import { parseIsoBytes, detectEpochUnit, numericToMs } from './timestamps.js';

const DATE_ONLY = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;
const enc = new TextEncoder();

/** Epoch ms of a release date cell, or NaN when it is blank or not a date. */
export function parseReleaseDate(cell: string): number {
  const s = cell.trim();
  if (s === '') return NaN;
  const m = DATE_ONLY.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = m[2] ? Number(m[2]) : 1;
    const d = m[3] ? Number(m[3]) : 1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
    const ms = Date.UTC(y, mo - 1, d);
    // Date.UTC rolls 1999-02-31 over into March; reject instead.
    return new Date(ms).getUTCDate() === d ? ms : NaN;
  }
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const v = Number(s);
    return numericToMs(v, detectEpochUnit(v));
  }
  const b = enc.encode(s);
  return parseIsoBytes(b, 0, b.length);
}
