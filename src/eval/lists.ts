/**
 * Recommendation lists as one row-major Int32Array: row r holds the ranked items for users[r],
 * `width` slots per row, −1 for an empty slot. Metrics at K read the first min(K, width) slots;
 * slots beyond the width count as empty.
 */
export interface RecLists {
  /** users.length × width item indices, −1 padded. */
  readonly items: Int32Array;
  readonly width: number;
}

/** Validate a list block against the number of rows and the catalog size; throws naming the argument. */
export function checkLists(items: Int32Array, width: number, rows: number, nItems: number, name: string): void {
  if (!(Number.isInteger(width) && width >= 0)) throw new RangeError(`${name}: width must be a non-negative integer, got ${width}`);
  if (items.length !== rows * width) {
    throw new RangeError(`${name}: has ${items.length} slots, expected rows × width = ${rows} × ${width} = ${rows * width}`);
  }
  for (let s = 0; s < items.length; s++) {
    const i = items[s];
    if (i !== -1 && !(i >= 0 && i < nItems)) {
      throw new RangeError(`${name}: item ${i} at row ${Math.floor(s / width)}, slot ${s % width} is neither −1 nor in [0, ${nItems})`);
    }
  }
}

export function checkK(k: number, name: string): void {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`${name}: k must be a positive integer, got ${k}`);
}
