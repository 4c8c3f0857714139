/**
 * Playlist weeks are ISO-8601 weeks, written `YYYY-Www` (e.g. `2026-W48`): the week (Monday to
 * Sunday, UTC) that contains the as-of instant. The string sorts chronologically, which the
 * archive relies on.
 */
const DAY_MS = 86_400_000;

export function isoWeek(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`isoWeek: expected a finite epoch-ms time, got ${ms}`);
  const d = new Date(Math.floor(ms / DAY_MS) * DAY_MS);
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(d.getTime() + (3 - dow) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - jan1) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

/** A number that identifies the week (year × 100 + week), e.g. to seed per-week draws. */
export function weekKey(week: string): number {
  const m = WEEK_PATTERN.exec(week);
  if (!m) throw new RangeError(`expected an ISO week like 2026-W48, got '${week}'`);
  return Number(m[1]) * 100 + Number(m[2]);
}

