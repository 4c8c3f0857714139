/**
 * Buffered byte output for large CSV files: rows are encoded straight into a reusable buffer
 * (ids pre-encoded, numbers and timestamps written digit by digit), so writing millions of rows
 * creates almost no garbage strings.
 */
import type { FileHandle } from 'node:fs/promises';
import { DAY } from './clock.js';

const CAPACITY = 1 << 22;
/** A row never needs more than this; flushing below it keeps every row in one buffer. */
const ROW_ROOM = 16 * 1024;

export class ByteSink {
  private readonly buf = Buffer.allocUnsafe(CAPACITY);
  private pos = 0;
  private readonly dayPrefix = new Map<number, Uint8Array>();

  constructor(private readonly fh: FileHandle) {}

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** Any short string, UTF-8 encoded. */
  text(s: string): void {
    if (s.length * 3 > ROW_ROOM) throw new RangeError(`ByteSink: field of ${s.length} characters is too long`);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A number as CSV text: integers digit by digit, others via String; NaN as nothing. */
  number(x: number): void {
    if (Number.isNaN(x)) return;
    if (!Number.isSafeInteger(x)) {
      this.text(String(x));
      return;
    }
    if (x < 0) {
      this.byte(45);
      x = -x;
    }
    this.uint(x);
  }

  private uint(x: number): void {
    let digits = 1;
    for (let p = 10; p <= x; p *= 10) digits++;
    let i = this.pos + digits;
    this.pos = i;
    do {
      const q = Math.floor(x / 10);
      this.buf[--i] = 48 + (x - q * 10);
      x = q;
    } while (x > 0);
  }

  private fixed(x: number, width: number): void {
    for (let i = this.pos + width - 1; i >= this.pos; i--) {
      this.buf[i] = 48 + (x % 10);
      x = Math.floor(x / 10);
    }
    this.pos += width;
  }

  /** ISO-8601 UTC with milliseconds, e.g. 2026-01-05T08:12:33.123Z. */
  isoTime(ms: number): void {
    const day = Math.floor(ms / DAY);
    let prefix = this.dayPrefix.get(day);
    if (prefix === undefined) {
      prefix = Buffer.from(new Date(day * DAY).toISOString().slice(0, 11), 'latin1');
      if (this.dayPrefix.size > 100_000) this.dayPrefix.clear();
      this.dayPrefix.set(day, prefix);
    }
    this.bytes(prefix);
    let rest = Math.floor(ms - day * DAY);
    const milli = rest % 1000;
    rest = (rest - milli) / 1000;
    const s = rest % 60;
    rest = (rest - s) / 60;
    const m = rest % 60;
    this.fixed((rest - m) / 60, 2);
    this.byte(58);
    this.fixed(m, 2);
    this.byte(58);
    this.fixed(s, 2);
    this.byte(46);
    this.fixed(milli, 3);
    this.byte(90);
  }

  /** True when the buffer should be flushed before the next row (check once per row). */
  get full(): boolean {
    return this.pos > CAPACITY - ROW_ROOM;
  }

  async flush(): Promise<void> {
    let off = 0;
    while (off < this.pos) {
      const { bytesWritten } = await this.fh.write(this.buf, off, this.pos - off);
      off += bytesWritten;
    }
    this.pos = 0;
  }
}

/** Each id of a dictionary, UTF-8 encoded once. */
export function encodeIds(ids: readonly string[]): Uint8Array[] {
  return ids.map((id) => Buffer.from(id, 'utf8'));
}
