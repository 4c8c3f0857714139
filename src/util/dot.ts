/** Factor-row helpers (the dot products of re-ranking and the hybrid stage are native: rowDots). */

/** Whether x[from, from + d) is all zeros (±0): a factor row the model learned nothing into. */
export function isZeroRow(x: Float32Array, from: number, d: number): boolean {
  for (let j = from; j < from + d; j++) if (x[j] !== 0) return false;
  return true;
}
