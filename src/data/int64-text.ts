/**
 * 64-bit integer ids as exact decimal text. A double holds integers exactly only up to 2^53, so
 * ids beyond it (hashed or snowflake-style ids) read as numbers would round, and distinct ids
 * would merge without a word. A chunk with such a value is read as text instead, digit for digit
 * as a CSV of the same ids would spell them.
 */

const TWO21 = 2097152;

/** Every value of the 64-bit words is an integer a double holds exactly (|v| ≤ 2^53). */
export function int64FitsDouble(words: Int32Array, n: number, signed: boolean): boolean {
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1];
    // Signed: hi in [-2^21, 2^21) bounds v to [-2^53, 2^53); unsigned: hi < 2^21.
    if (signed ? hi < -TWO21 || hi >= TWO21 : hi >>> 0 >= TWO21) return false;
  }
  return true;
}

// Scratch of writeDecimal: a magnitude's 16-bit limbs, and its decimal digits least significant first.
const limbs = new Float64Array(4);
const digits = new Uint8Array(20);

/**
 * Writes the decimal text of the 64-bit value with words (hi, lo) at out[pos...] and returns the
 * position after it. The magnitude is divided by 10^4 in 16-bit limbs, so every step is exact in
 * doubles (a remainder times 2^16 plus a limb stays below 2^30).
 */
function writeDecimal(hi: number, lo: number, signed: boolean, out: Uint8Array, pos: number): number {
  let h = hi >>> 0;
  let l = lo >>> 0;
  const negative = signed && hi < 0;
  if (negative) {
    // Two's complement magnitude: -v = ~v + 1 across both words.
    l = (~l + 1) >>> 0;
    h = (~h + (l === 0 ? 1 : 0)) >>> 0;
  }
  limbs[0] = h >>> 16;
  limbs[1] = h & 0xffff;
  limbs[2] = l >>> 16;
  limbs[3] = l & 0xffff;
  let count = 0;
  for (;;) {
    let rem = 0;
    let zero = true;
    for (let j = 0; j < 4; j++) {
      const cur = rem * 65536 + limbs[j];
      limbs[j] = Math.floor(cur / 10000);
      rem = cur - limbs[j] * 10000;
      if (limbs[j] !== 0) zero = false;
    }
    for (let d = 0; d < 4; d++) {
      digits[count++] = rem % 10;
      rem = Math.floor(rem / 10);
    }
    if (zero) break;
  }
  while (count > 1 && digits[count - 1] === 0) count--;
  if (negative) out[pos++] = 45; // '-'
  for (let d = count - 1; d >= 0; d--) out[pos++] = 48 + digits[d];
  return pos;
}

/** The n 64-bit values of the words (low word first, as Arrow stores them) as UTF-8 text ranges. */
export function int64Text(words: Int32Array, n: number, signed: boolean): { offsets: Int32Array; bytes: Uint8Array } {
  const bytes = new Uint8Array(n * 20);
  const offsets = new Int32Array(n + 1);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    pos = writeDecimal(words[2 * i + 1], words[2 * i], signed, bytes, pos);
    offsets[i + 1] = pos;
  }
  return { offsets, bytes };
}
