/** Time budgets like "10m", "20s", "1h30m" or plain seconds ("90") → milliseconds. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const v = Number(m[1]);
    total += m[2] === 'h' ? v * 3_600_000 : m[2] === 'm' ? v * 60_000 : m[2] === 's' ? v * 1000 : v;
    pos = re.lastIndex;
  }
  if (pos !== s.length || s.length === 0 || !(total > 0)) throw new RangeError(`expected a duration like 90s, 10m or 1h30m, got '${text}'`);
  return total;
}
