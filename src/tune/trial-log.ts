/**
 * The tuning log: a first line naming the run (RunIdentity), then one JSON object per line per
 * evaluated trial. A resumed run of the same data, split, seed and catalog reads it back and
 * answers every trial already in it from the log instead of training again; a log of another run
 * is refused.
 */
import { appendFileSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../util/error-message.js';
import { identityDifference, type RunIdentity } from './run-identity.js';
import { makeDirsSync } from '../util/make-dirs.js';

export interface TrialRecord {
  /** Identity of the trial: stage and every parameter that affects the score. */
  key: string;
  stage: 'defaults' | 'cf' | 'content' | 'rerank';
  /** Bracket and rung of successive halving (CF stage). */
  bracket?: number;
  rung?: number;
  params: Record<string, unknown>;
  iterations: number;
  /** Validation NDCG@20. */
  ndcg: number;
  /** Validation intra-list diversity@20 (rerank stage). */
  diversity?: number;
  seconds: number;
}

export class TrialLog {
  private readonly done = new Map<string, TrialRecord>();
  /** Trials answered from the log in this run. */
  reused = 0;
  /** Trials evaluated (and appended) in this run. */
  added = 0;

  constructor(
    readonly file: string,
    resume: boolean,
    readonly run: RunIdentity,
  ) {
    if (resume && existsSync(file)) this.readBack(readFileSync(file, 'utf8'));
    else this.start();
  }

  /** A new log: the run's line only. */
  private start(): void {
    try {
      makeDirsSync(path.dirname(this.file));
      writeFileSync(this.file, JSON.stringify({ run: this.run }) + '\n');
    } catch (e) {
      throw new Error(`cannot write the tuning log ${this.file}: ${errorMessage(e)}`);
    }
  }

  private readBack(text: string): void {
    const file = this.file;
    const lines = text.split('\n');
    // A run killed mid-write leaves a partial last line: dropped; a bad line elsewhere fails.
    const partial = (n: number): boolean => n === lines.length - 1 || lines.slice(n + 1).every((l) => l.trim() === '');
    let header: RunIdentity | undefined;
    lines.forEach((line, n) => {
      if (line.trim() === '') return;
      let rec: TrialRecord & { run?: RunIdentity };
      try {
        rec = JSON.parse(line) as TrialRecord & { run?: RunIdentity };
      } catch (e) {
        if (partial(n)) return;
        throw new Error(`${file}:${n + 1}:1: not a JSON trial record: ${errorMessage(e)}`);
      }
      if (n === 0) {
        if (!rec.run) throw new Error(`${file}: the log does not say which data, split and seed its trials were scored on (an older log); run without --resume to start it over`);
        header = rec.run;
        const diff = identityDifference(header, this.run);
        if (diff) throw new Error(`${file}: the log's trials were scored on another run (${diff}); give another --log, or run without --resume to start this one over`);
        return;
      }
      if (typeof rec.key !== 'string' || typeof rec.ndcg !== 'number') throw new Error(`${file}:${n + 1}:1: trial record without key or ndcg`);
      this.done.set(rec.key, rec);
    });
    // Nothing whole in it (cut while naming the run): begin it again.
    if (header === undefined) return this.start();
    // Cut a partial last line off, or the next record would be appended onto it.
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
  }

  /** Whether the trial is logged (not counted as answered from the log). */
  has(key: string): boolean {
    return this.done.has(key);
  }

  /** The logged trial, counted as answered from the log. */
  get(key: string): TrialRecord | undefined {
    const r = this.done.get(key);
    if (r) this.reused++;
    return r;
  }

  add(rec: TrialRecord): void {
    this.done.set(rec.key, rec);
    this.added++;
    appendFileSync(this.file, JSON.stringify(rec) + '\n');
  }

  get size(): number {
    return this.done.size;
  }
}

/** A stable key: stage plus the parameters with sorted keys. */
export function trialKey(stage: string, params: Record<string, unknown>, iterations: number): string {
  const sorted = Object.fromEntries(Object.keys(params).sort().map((k) => [k, params[k]]));
  return `${stage}|${iterations}|${JSON.stringify(sorted)}`;
}
