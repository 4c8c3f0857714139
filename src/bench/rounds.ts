/**
 * Cases run in rounds (`mixtape bench --rounds N`): every selected case once per round, round after
 * round, so a slow spell of a shared machine falls on one round of several cases instead of on
 * every run of one case. A case then reports its median round, whole (its own samples, rates and
 * RSS, consistent with each other), and the medians of all its rounds in `detail.round_medians`.
 */
import type { CaseResult } from './report.js';

/**
 * The result of the round whose median time is the median of the rounds' (for an even count, the
 * slower of the middle two, so two rounds never report the luckier one). Value cases (a quality
 * check) take the median value the same way, the larger of the middle two. A round that failed or
 * was skipped is reported instead, since its figures are missing.
 */
export function medianRound(rounds: readonly CaseResult[]): CaseResult {
  if (rounds.length === 0) throw new Error('medianRound: no rounds');
  const failed = rounds.find((r) => r.error || r.skipped);
  if (failed) return failed;
  if (rounds.length === 1) return rounds[0];
  const key = (r: CaseResult): number => r.seconds?.median ?? r.value ?? Number.NaN;
  const ordered = [...rounds].sort((a, b) => key(a) - key(b));
  const chosen = ordered[rounds.length >> 1];
  const perRound = rounds.map(key);
  return { ...chosen, detail: { ...chosen.detail, [chosen.seconds ? 'round_medians' : 'round_values']: perRound } };
}
