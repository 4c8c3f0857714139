/**
 * The tuning log: one JSON object per line per evaluated trial. A resumed run reads it back and
 * answers every trial already in it from the log instead of training again.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../util/error-message.js';

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
  ) {
    if (resume && existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      lines.forEach((line, n) => {
        if (line.trim() === '') return;
        let rec: TrialRecord;
        try {
          rec = JSON.parse(line) as TrialRecord;
        } catch (e) {
          // A run killed mid-write leaves a partial last line: drop it, fail on any other.
          if (n === lines.length - 1 || lines.slice(n + 1).every((l) => l.trim() === '')) return;
          throw new Error(`${file}:${n + 1}:1: not a JSON trial record: ${errorMessage(e)}`);
        }
        if (typeof rec.key !== 'string' || typeof rec.ndcg !== 'number') throw new Error(`${file}:${n + 1}:1: trial record without key or ndcg`);
        this.done.set(rec.key, rec);
      });
      // Cut a partial last line off, or the next record would be appended onto it.
      const end = text.lastIndexOf('\n') + 1;
      if (end < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
    } else {
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, '');
      } catch (e) {
        throw new Error(`cannot write the tuning log ${file}: ${errorMessage(e)}`);
      }
    }
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
