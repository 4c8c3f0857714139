/**
 * Timestamps → epoch milliseconds. Text columns are ISO-8601 or epoch numbers; which one (and the
 * epoch unit) is detected once per file from the first valid value and then applied to every row,
 * so a file that mixes formats reports the odd rows as bad instead of guessing per row.
 */
import { parseNumberBytes } from './parse-number.js';

/**
 * How a file's timestamps were read: `iso8601` text, epoch numbers in a unit detected from their
 * magnitude (`epoch_*`), or a typed Arrow/Parquet timestamp column of a declared unit
 * (`timestamp_*`).
 */
export type TimestampFormat =
  | 'iso8601'
  | 'epoch_s'
  | 'epoch_ms'
  | 'epoch_us'
  | 'epoch_ns'
  | 'timestamp_s'
  | 'timestamp_ms'
  | 'timestamp_us'
  | 'timestamp_ns';

export type EpochFormat = 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'epoch_ns';

const UNIT_WORDS = { s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds' } as const;

/** A detected format in words, for the line that states how a file's timestamps were read. */
export function describeTimestampFormat(f: TimestampFormat): string {
  if (f === 'iso8601') return 'ISO-8601 text';
  const [kind, unit] = f.split('_') as ['epoch' | 'timestamp', keyof typeof UNIT_WORDS];
  return kind === 'epoch' ? `epoch ${UNIT_WORDS[unit]} (unit detected)` : `typed (${UNIT_WORDS[unit]})`;
}

/**
 * Epoch ms of a value in a numeric format. Coarser units multiply and finer units divide, so whole
 * values convert exactly (1e-3 is not representable, 1000 is).
 */
export function numericToMs(v: number, format: Exclude<TimestampFormat, 'iso8601'>): number {
  switch (format) {
    case 'epoch_s':
    case 'timestamp_s':
      return v * 1000;
    case 'epoch_ms':
    case 'timestamp_ms':
      return v;
    case 'epoch_us':
    case 'timestamp_us':
      return v / 1000;
    default:
      return v / 1e6;
  }
}

/**
 * The epoch unit of a number by its magnitude: below 1e11 it is seconds (1e11 s is the year 5138,
 * 1e11 ms is 1973), below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds.
 */
export function detectEpochUnit(v: number): EpochFormat {
  const a = Math.abs(v);
  if (a < 1e11) return 'epoch_s';
  if (a < 1e14) return 'epoch_ms';
  if (a < 1e17) return 'epoch_us';
  return 'epoch_ns';
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** n ASCII digits at b[p..p+n) as a number, or -1. */
function digitsAt(b: Uint8Array, p: number, n: number, e: number): number {
  if (p + n > e) return -1;
  let v = 0;
  for (let i = p; i < p + n; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * An ISO-8601 date or date-time in bytes [s, e) as epoch ms, or NaN.
 * Accepts `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM[:SS[.fraction]]`, then optionally
 * `Z` or an offset `±HH[:MM]` / `±HHMM`. Without an offset the time is taken as UTC.
 */
export function parseIsoBytes(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] === 32) s++;
  while (e > s && b[e - 1] === 32) e--;
  const y = digitsAt(b, s, 4, e);
  if (y < 0 || b[s + 4] !== 45) return NaN;
  const mo = digitsAt(b, s + 5, 2, e);
  if (mo < 1 || mo > 12 || b[s + 7] !== 45) return NaN;
  const d = digitsAt(b, s + 8, 2, e);
  if (d < 1 || d > daysInMonth(y, mo)) return NaN;
  let p = s + 10;
  let ms = daysFromCivil(y, mo, d) * 86400000;
  if (p === e) return ms;
  const sep = b[p];
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32) return NaN;
  const h = digitsAt(b, p + 1, 2, e);
  if (h < 0 || h > 23 || b[p + 3] !== 58) return NaN;
  const mi = digitsAt(b, p + 4, 2, e);
  if (mi < 0 || mi > 59) return NaN;
  p += 6;
  let sec = 0;
  if (p < e && b[p] === 58) {
    sec = digitsAt(b, p + 1, 2, e);
    if (sec < 0 || sec > 60) return NaN;
    p += 3;
    if (p < e && (b[p] === 46 || b[p] === 44)) {
      p++;
      let scale = 100;
      let frac = 0;
      const fs = p;
      for (; p < e; p++) {
        const dd = b[p] - 48;
        if (dd < 0 || dd > 9) break;
        frac += dd * scale;
        scale /= 10;
      }
      if (p === fs) return NaN;
      ms += frac;
    }
  }
  ms += h * 3600000 + mi * 60000 + sec * 1000;
  if (p === e) return ms;
  const z = b[p];
  if ((z === 90 || z === 122) && p + 1 === e) return ms;
  if (z !== 43 && z !== 45) return NaN;
  const oh = digitsAt(b, p + 1, 2, e);
  if (oh < 0 || oh > 23) return NaN;
  p += 3;
  let om = 0;
  if (p < e) {
    if (b[p] === 58) p++;
    om = digitsAt(b, p, 2, e);
    if (om < 0 || om > 59) return NaN;
    p += 2;
  }
  if (p !== e) return NaN;
  const off = (oh * 60 + om) * 60000;
  return z === 43 ? ms - off : ms + off;
}

const textBytes = new TextEncoder();

/**
 * One time given as text (a flag's value, an option) as epoch ms, or NaN: read as event
 * timestamps are, so a reference time and the log agree. ISO-8601 by parseIsoBytes' rules (no
 * offset means UTC; 2026-02-31 is refused, not rolled over), or digits as epoch seconds, ms, µs or
 * ns by their magnitude (detectEpochUnit).
 */
export function parseTimeText(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const v = Number(t);
    return numericToMs(v, detectEpochUnit(v));
  }
  const b = textBytes.encode(t);
  return parseIsoBytes(b, 0, b.length);
}

/**
 * Reads the timestamps of one text column. The format is fixed by the first value that parses as
 * either an epoch number or an ISO date; until then values that parse as neither give NaN.
 */
export class TextTimestampParser {
  format: TimestampFormat | undefined;
  private mul = 1;
  private div = 1;

  constructor(format?: TimestampFormat) {
    if (format) this.fix(format);
  }

  private fix(format: TimestampFormat): void {
    this.format = format;
    const perUnit = format === 'iso8601' ? 1 : numericToMs(1e6, format) / 1e6;
    this.mul = perUnit >= 1 ? perUnit : 1;
    this.div = perUnit >= 1 ? 1 : Math.round(1 / perUnit);
  }

  /** Epoch ms of bytes [s, e), or NaN when they do not match the file's format. */
  parse(b: Uint8Array, s: number, e: number): number {
    const f = this.format;
    if (f === 'iso8601') return parseIsoBytes(b, s, e);
    if (f !== undefined) return (parseNumberBytes(b, s, e) * this.mul) / this.div;
    const v = parseNumberBytes(b, s, e);
    if (Number.isFinite(v)) {
      this.fix(detectEpochUnit(v));
      return (v * this.mul) / this.div;
    }
    const iso = parseIsoBytes(b, s, e);
    if (!Number.isNaN(iso)) this.fix('iso8601');
    return iso;
  }
}
