/**
 * Counts with a time column, e.g. MovieLens ratings.csv (userId, movieId, rating, timestamp): the
 * input of the per-user temporal split for counts files. One streaming pass; bad rows fail with
 * file:line:column unless skipped.
 */
import { readDelimited, type DelimitedRow, type HeaderInfo } from '../data/csv-reader.js';
import { Dictionary } from '../data/dictionary.js';
import { IngestError, quoteValue, weightProblem } from '../data/errors.js';
import { MAX_FLOAT32 } from '../util/float32.js';
import { COUNT_RULES, ReportBuilder, type IngestReport } from '../data/ingest-report.js';
import { parseNumberBytes } from '../data/parse-number.js';
import { detectEpochUnit, numericToMs, parseIsoBytes } from '../data/timestamps.js';
import { optionalColumn, requireColumn } from '../data/find-column.js';

export interface TimedCounts {
  users: Dictionary;
  items: Dictionary;
  user: Int32Array;
  item: Int32Array;
  weight: Float32Array;
  /** Epoch ms per row. */
  time: Float64Array;
  /** Rows read and kept, the rules that fired, how timestamps were read. */
  report: IngestReport;
}

export interface TimedCountsOptions {
  userCol: string;
  itemCol: string;
  /** Without it, a column named weight if there is one, else every row counts 1. */
  weightCol?: string;
  timeCol: string;
  skipBad?: boolean;
  /** Applied to every raw user id before it enters the dictionary. */
  pseudonymize?: (rawUserId: string) => string;
}

const text = new TextDecoder('utf-8');

/** The counts rules plus a timestamp that cannot be read. */
const TIMED_COUNT_RULES = [...COUNT_RULES, 'bad_timestamp'] as const;

export async function readTimedCounts(file: string, o: TimedCountsOptions): Promise<TimedCounts> {
  const users = new Dictionary();
  const items = new Dictionary();
  let cols = [0, 0, 0, 0];
  let names: string[] = [];
  let cap = 1024;
  let user = new Int32Array(cap);
  let item = new Int32Array(cap);
  let weight = new Float32Array(cap);
  let time = new Float64Array(cap);
  let n = 0;
  const report = new ReportBuilder(file, 'csv', 'line', TIMED_COUNT_RULES, false, o.skipBad ?? false);
  // Errors name file:line:column; with skipBad the row is counted under its rule instead.
  const fail = (rule: string, line: number, c: number, msg: string): void => {
    if (!o.skipBad) throw new IngestError(`${file}:${line}:${c + 1}: ${msg}`, file, line, rule);
    report.bad(rule, line, msg);
  };
  const grow = (): void => {
    cap *= 2;
    const u = new Int32Array(cap);
    u.set(user);
    user = u;
    const i = new Int32Array(cap);
    i.set(item);
    item = i;
    const w = new Float32Array(cap);
    w.set(weight);
    weight = w;
    const t = new Float64Array(cap);
    t.set(time);
    time = t;
  };
  await readDelimited(file, {
    header(info: HeaderInfo) {
      names = info.names;
      const find = (name: string): number => requireColumn(file, names, name);
      cols = [find(o.userCol), find(o.itemCol), optionalColumn(file, names, o.weightCol, 'weight'), find(o.timeCol)];
      report.columns = { user_id: names[cols[0]], item_id: names[cols[1]], weight: cols[2] < 0 ? null : names[cols[2]] };
    },
    malformed(line: number, message: string) {
      report.rowsRead++;
      fail('malformed_row', line, 0, message);
    },
    row(r: DelimitedRow) {
      report.rowsRead++;
      const b = r.bytes;
      const [cu, ci, cw, ct] = cols;
      const w = cw < 0 ? 1 : parseNumberBytes(b, r.start[cw], r.end[cw]);
      if (!(w >= 0 && w <= MAX_FLOAT32)) {
        const why = w > MAX_FLOAT32 && w !== Infinity ? weightProblem(w) : `${quoteValue(text.decode(b.subarray(r.start[cw], r.end[cw])))} is not a non-negative number`;
        return fail('bad_weight', r.line, cw, `column '${names[cw]}': ${why}`);
      }
      let t = parseNumberBytes(b, r.start[ct], r.end[ct]);
      if (Number.isFinite(t)) {
        const unit = detectEpochUnit(t);
        report.timestampFormat ??= unit;
        t = numericToMs(t, unit);
      } else {
        t = parseIsoBytes(b, r.start[ct], r.end[ct]);
        if (Number.isFinite(t)) report.timestampFormat ??= 'iso8601';
      }
      if (!Number.isFinite(t)) return fail('bad_timestamp', r.line, ct, `column '${names[ct]}': ${quoteValue(text.decode(b.subarray(r.start[ct], r.end[ct])))} is not a timestamp`);
      if (r.start[cu] === r.end[cu] || r.start[ci] === r.end[ci]) return fail('missing_id', r.line, r.start[cu] === r.end[cu] ? cu : ci, 'empty id');
      if (w === 0) return report.violation('zero_weight', r.line);
      if (n === cap) grow();
      const rawUser = text.decode(b.subarray(r.start[cu], r.end[cu])).trim();
      user[n] = users.intern(o.pseudonymize ? o.pseudonymize(rawUser) : rawUser);
      item[n] = items.intern(text.decode(b.subarray(r.start[ci], r.end[ci])).trim());
      weight[n] = w;
      time[n] = t;
      n++;
      report.rowsKept++;
    },
  });
  return { users, items, user: user.slice(0, n), item: item.slice(0, n), weight: weight.slice(0, n), time: time.slice(0, n), report: report.finish() };
}
