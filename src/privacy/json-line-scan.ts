/**
 * A JSON Lines line checked as bytes: whether it is one JSON object (RFC 8259 grammar, white
 * space around it allowed), and where the value of one top-level key is, without building the
 * object. reveal finds each line's id with it: JSON.parse of every line (an object, its strings
 * and numbers made and dropped) was most of a JSON Lines reveal.
 *
 * The scan may give up (a key written with escapes, nesting deeper than MAX_DEPTH); it never
 * accepts what JSON.parse refuses. A line it does not accept goes to JSON.parse, which decides.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_DEPTH = 256;

/** The key's value in the last scanned line: bytes [start, end), start -1 when the key is absent. */
export interface ValueSpan {
  start: number;
  end: number;
}

export class JsonLineScanner {
  private b: Uint8Array = new Uint8Array(0);
  private p = 0;
  /** Whether the last string scanned held an escape. */
  private escaped = false;
  /** Whether the key's value (in `span`) is a string that holds an escape. */
  valueEscaped = false;

  constructor(private readonly key: Uint8Array) {}

  /** True when `bytes` is one JSON object; `span` then holds the key's (last) value, or start -1. */
  scan(bytes: Uint8Array, span: ValueSpan): boolean {
    this.b = bytes;
    this.p = 0;
    span.start = -1;
    span.end = -1;
    this.space();
    if (bytes[this.p] !== 0x7b) return false;
    this.p++;
    this.space();
    if (bytes[this.p] === 0x7d) {
      this.p++;
      return this.end();
    }
    for (;;) {
      const keyStart = this.p;
      if (!this.string()) return false;
      const isKey = this.isKey(keyStart);
      if (isKey === undefined) return false; // a key with escapes: JSON.parse tells what it is
      this.space();
      if (bytes[this.p] !== 0x3a) return false;
      this.p++;
      this.space();
      const valueStart = this.p;
      if (!this.value(1)) return false;
      if (isKey) {
        span.start = valueStart;
        span.end = this.p;
        this.valueEscaped = bytes[valueStart] === QUOTE && this.escaped;
      }
      this.space();
      const c = bytes[this.p++];
      if (c === 0x7d) return this.end();
      if (c !== 0x2c) return false;
      this.space();
    }
  }

  /** Whether the string at [start, p) is the key: undefined when it holds an escape. */
  private isKey(start: number): boolean | undefined {
    if (this.escaped) return undefined;
    const key = this.key;
    if (this.p - start - 2 !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.b[start + 1 + i] !== key[i]) return false;
    return true;
  }

  private end(): boolean {
    this.space();
    return this.p === this.b.length;
  }

  private space(): void {
    const b = this.b;
    let p = this.p;
    while (p < b.length) {
      const c = b[p];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      p++;
    }
    this.p = p;
  }

  private value(depth: number): boolean {
    const c = this.b[this.p];
    if (c === QUOTE) return this.string();
    if (c === 0x7b || c === 0x5b) return depth < MAX_DEPTH && this.container(c === 0x7b, depth + 1);
    if (c === 0x74) return this.literal(TRUE);
    if (c === 0x66) return this.literal(FALSE);
    if (c === 0x6e) return this.literal(NULL);
    return this.number();
  }

  /** An object's or array's members after its opening bracket, through its closing one. */
  private container(object: boolean, depth: number): boolean {
    const b = this.b;
    const close = object ? 0x7d : 0x5d;
    this.p++;
    this.space();
    if (b[this.p] === close) {
      this.p++;
      return true;
    }
    for (;;) {
      if (object) {
        if (!this.string()) return false;
        this.space();
        if (b[this.p] !== 0x3a) return false;
        this.p++;
        this.space();
      }
      if (!this.value(depth)) return false;
      this.space();
      const c = b[this.p++];
      if (c === close) return true;
      if (c !== 0x2c) return false;
      this.space();
    }
  }

  /** A string from its opening quote through its closing one; sets `escaped`. */
  private string(): boolean {
    const b = this.b;
    let p = this.p;
    if (b[p] !== QUOTE) return false;
    p++;
    let escaped = false;
    for (;;) {
      if (p >= b.length) return false;
      const c = b[p++];
      if (c === QUOTE) break;
      if (c < 0x20) return false;
      if (c !== BACKSLASH) continue;
      escaped = true;
      const e = b[p++];
      if (e === 0x75) {
        for (let i = 0; i < 4; i++) if (!isHex(b[p++])) return false;
      } else if (!(e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) return false;
    }
    this.p = p;
    this.escaped = escaped;
    return true;
  }

  /** -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
  private number(): boolean {
    const b = this.b;
    let p = this.p;
    if (b[p] === 0x2d) p++;
    if (b[p] === 0x30) p++;
    else if (isDigit(b[p])) while (isDigit(b[p])) p++;
    else return false;
    if (b[p] === 0x2e) {
      p++;
      if (!isDigit(b[p])) return false;
      while (isDigit(b[p])) p++;
    }
    if (b[p] === 0x65 || b[p] === 0x45) {
      p++;
      if (b[p] === 0x2b || b[p] === 0x2d) p++;
      if (!isDigit(b[p])) return false;
      while (isDigit(b[p])) p++;
    }
    this.p = p;
    return true;
  }

  private literal(word: Uint8Array): boolean {
    const b = this.b;
    for (let i = 0; i < word.length; i++) if (b[this.p + i] !== word[i]) return false;
    this.p += word.length;
    return true;
  }
}

const TRUE = new TextEncoder().encode('true');
const FALSE = new TextEncoder().encode('false');
const NULL = new TextEncoder().encode('null');

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}
