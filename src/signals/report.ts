/** The signals report (a JSON-serialisable contract) and its command-line summary. */
import type { SignalsConfig } from './config.js';

export interface SignalsTotals {
  /** Events in the log. */
  events: number;
  /** Events that contributed evidence (not future, valid time, not over the cap). */
  used: number;
  /** Events after asOf (ignored). */
  future: number;
  /** Events without a finite timestamp (ignored). */
  invalid_timestamp: number;
  /** Plays over the per-(user, track, day) cap (not counted). */
  capped_plays: number;
  /** Playbacks that ended early and count as negative evidence. */
  early_skips: number;
  /** Events whose track duration the log lacked, estimated from the track's longest play in the log. */
  estimated_durations: number;
  /** Events of unknown kind (`other`). */
  other_events: number;
  /** Used events over four half-lives old at asOf: each weighs under 1/16 of a fresh one (0 with decay off). */
  faded_events: number;
  /** Entries of the interaction matrix. */
  entries: number;
  positive_entries: number;
  negative_entries: number;
  /** Entries removed because their account was judged not human. */
  dropped_entries: number;
  /** Accounts with enough playbacks to be judged. */
  judged_accounts: number;
  /** Accounts with trust < 1. */
  flagged_accounts: number;
  /** Accounts with trust below `anomaly.notHumanBelow`. */
  not_human_accounts: number;
  flagged_tracks: number;
  /** (user, track) pairs excluded by dislikes. */
  excluded_tracks: number;
  /** (user, artist) pairs excluded by dislikes. */
  excluded_artists: number;
}

export interface SignalsReport {
  /** ISO time the signals were computed as of. */
  asOf: string;
  config: SignalsConfig;
  /** Every account with trust < 1, least trusted first. */
  accounts: { user_id: string; trust: number; reasons: string[] }[];
  /** Every flagged track. */
  tracks: { track_id: string; reasons: string[] }[];
  /** Validation findings of ingest (passed through). */
  validation: Record<string, unknown>;
  totals: SignalsTotals;
  /**
   * The half-life, and the decay weight of the newest counted event: far below 1 means every
   * piece of evidence is old at the as-of time, so the confidence weighting has little left to
   * work with (`stale` is set below 1/16, four half-lives). `faded_share`: the share of the used
   * events over four half-lives old; `mostly_faded` when that is over half (a log spanning far
   * more than the half-life, whose older part counts at about the base confidence).
   */
  decay: { half_life_days: number | null; newest_event_weight?: number; stale?: boolean; faded_share?: number; mostly_faded?: boolean };
  /** Population median and robust scale of each account feature. */
  anomaly: { features: Record<string, { median: number | null; scale: number }> };
}

const LIST_LIMIT = 10;
const REASON_LIMIT = 3;

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A readable multi-line summary for the command line. */
export function formatSignalsSummary(report: SignalsReport): string {
  const t = report.totals;
  const decay = report.decay.half_life_days === null ? 'decay off' : `half-life ${report.decay.half_life_days} days`;
  const lines = [
    `signals as of ${report.asOf} (${decay})`,
    ...decayWarnings(report),
    `events: ${count(t.events)} — used ${count(t.used)}, future ${count(t.future)}, invalid time ${count(t.invalid_timestamp)}, ` +
      `capped plays ${count(t.capped_plays)}, early skips ${count(t.early_skips)}, other kinds ${count(t.other_events)}` +
      (t.estimated_durations > 0 ? `; track lengths estimated from the longest plays for ${count(t.estimated_durations)} events (the log has no track_duration_ms)` : ''),
    `interactions: ${count(t.entries)} entries — ${count(t.positive_entries)} positive, ${count(t.negative_entries)} negative, ` +
      `${count(t.dropped_entries)} dropped with untrusted accounts`,
    `exclusions: ${count(t.excluded_tracks)} disliked tracks, ${count(t.excluded_artists)} disliked artists`,
    `accounts: ${count(t.judged_accounts)} judged, ${count(t.flagged_accounts)} with trust < 1, ${count(t.not_human_accounts)} judged not human`,
  ];
  for (const a of report.accounts.slice(0, LIST_LIMIT)) {
    const more = a.reasons.length > REASON_LIMIT ? ` (+${a.reasons.length - REASON_LIMIT} more)` : '';
    lines.push(`  ${a.user_id}  trust ${a.trust.toFixed(2)}: ${a.reasons.slice(0, REASON_LIMIT).join('; ')}${more}`);
  }
  if (report.accounts.length > LIST_LIMIT) lines.push(`  … ${count(report.accounts.length - LIST_LIMIT)} more`);
  lines.push(`tracks flagged: ${count(t.flagged_tracks)}`);
  for (const tr of report.tracks.slice(0, LIST_LIMIT)) lines.push(`  ${tr.track_id}: ${tr.reasons.join('; ')}`);
  if (report.tracks.length > LIST_LIMIT) lines.push(`  … ${count(report.tracks.length - LIST_LIMIT)} more`);
  const found = Object.entries(report.validation).filter(([, n]) => n !== 0);
  const checked = Object.keys(report.validation).length;
  if (found.length > 0) lines.push(`validation: ${found.map(([rule, n]) => `${rule} ${typeof n === 'number' ? count(n) : JSON.stringify(n)}`).join(', ')}`);
  else if (checked > 0) lines.push(`validation: every row passed ${checked} rules`);
  return lines.join('\n');
}

/**
 * The warnings of decay: all evidence has decayed to almost nothing at the as-of time (`stale`),
 * or most of it has (`mostly_faded`, a log far longer than the half-life).
 */
export function decayWarnings(report: SignalsReport): string[] {
  const d = report.decay;
  if (d.stale) {
    return [`warning: the newest event counts ${d.newest_event_weight} of a fresh one at the as-of time (over four half-lives): every weight is near zero; check --as-of or raise halfLifeDays`];
  }
  if (d.mostly_faded && d.half_life_days !== null) {
    const share = Math.round((d.faded_share ?? 0) * 100);
    return [
      `warning: ${share}% of the events are over four half-lives (${4 * d.half_life_days} days) old and weigh under 1/16 of a fresh one, ` +
        `about the base confidence: for a log spanning months or years raise halfLifeDays or turn decay off ("decay": false)`,
    ];
  }
  return [];
}
