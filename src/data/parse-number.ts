/**
 * Decimal numbers parsed straight from bytes, so numeric columns never become strings.
 * Grammar: optional spaces, sign, digits with an optional fraction, optional exponent, spaces.
 * Results are correctly rounded: the common case (≤ 15 significant digits, small exponent) is
 * exact by Clinger's fast path, anything else goes through Number() on the validated bytes.
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const ascii = new TextDecoder('latin1');

const SPACE = 32;
const TAB = 9;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

/** True when bytes [s, e) are empty or only spaces/tabs. */
export function isBlank(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c !== SPACE && c !== TAB) return false;
  }
  return true;
}

/** The number in bytes [s, e), or NaN when they are not a decimal number (or blank). */
export function parseNumberBytes(b: Uint8Array, s: number, e: number): number {
  // Fast path: up to 15 plain digits (counts, epoch ms) are exact integers.
  if (e > s && e - s <= 15) {
    let v = 0;
    let i = s;
    for (; i < e; i++) {
      const d = b[i] - ZERO;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === e) return v;
  }
  while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
  while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB)) e--;
  if (s >= e) return NaN;
  const start = s;
  let neg = false;
  let c = b[s];
  if (c === MINUS || c === PLUS) {
    neg = c === MINUS;
    s++;
  }
  let mant = 0;
  let sig = 0; // significant digits accumulated in mant
  let exp10 = 0;
  let digits = 0;
  let exact = true;
  for (; s < e; s++) {
    const d = b[s] - ZERO;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig < 15) {
      mant = mant * 10 + d;
      if (mant !== 0) sig++;
    } else {
      exp10++;
      if (d !== 0) exact = false;
    }
  }
  if (s < e && b[s] === DOT) {
    s++;
    for (; s < e; s++) {
      const d = b[s] - ZERO;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig < 15) {
        mant = mant * 10 + d;
        if (mant !== 0) sig++;
        exp10--;
      } else if (d !== 0) exact = false;
    }
  }
  if (digits === 0) return NaN;
  if (s < e && (b[s] | 0x20) === 101 /* e */) {
    s++;
    let eneg = false;
    if (s < e && (b[s] === MINUS || b[s] === PLUS)) {
      eneg = b[s] === MINUS;
      s++;
    }
    let ex = 0;
    let edigits = 0;
    for (; s < e; s++) {
      const d = b[s] - ZERO;
      if (d < 0 || d > 9) break;
      if (ex < 100000) ex = ex * 10 + d;
      edigits++;
    }
    if (edigits === 0) return NaN;
    exp10 += eneg ? -ex : ex;
  }
  if (s !== e) return NaN;
  if (exact && exp10 >= -22 && exp10 <= 22) {
    const v = exp10 >= 0 ? mant * POW10[exp10] : mant / POW10[-exp10];
    return neg ? -v : v;
  }
  return Number(ascii.decode(b.subarray(start, e)));
}
