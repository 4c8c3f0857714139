/** Refuses a part [begin, end) that is not a range of integers within 0..length (`what` names the caller). */
export function checkRange(what: string, begin: number, end: number, length: number): void {
  if (!(Number.isInteger(begin) && Number.isInteger(end) && 0 <= begin && begin <= end && end <= length)) {
    throw new RangeError(`${what}: range [${begin}, ${end}) is not within 0..${length}`);
  }
}
