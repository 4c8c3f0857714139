import { describe, expect, it } from 'vitest';
import { formatOfName, outputFormatOfName } from '../../src/util/file-format.js';
import { outputFormat, outputCompressed } from '../../src/playlist/output.js';
import { recommendationFormat } from '../../src/cli/recommendation-output.js';

describe('the format a name says', () => {
  it('reads the extension under an optional .gz, in any case', () => {
    expect(formatOfName('week.csv')).toEqual({ format: 'csv', gzip: false, ext: '.csv' });
    expect(formatOfName('out/Week.CSV.GZ')).toEqual({ format: 'csv', gzip: true, ext: '.csv' });
    expect(formatOfName('recs.ndjson.gz')).toEqual({ format: 'jsonl', gzip: true, ext: '.ndjson' });
    expect(formatOfName('recs.tsv')).toMatchObject({ format: 'tsv' });
    expect(formatOfName('events.pq')).toMatchObject({ format: 'parquet', gzip: false });
    expect(formatOfName('notes.txt')).toEqual({ format: undefined, gzip: false, ext: '.txt' });
    expect(formatOfName('dump.gz')).toEqual({ format: undefined, gzip: true, ext: '' });
    expect(formatOfName('v1.2/recs')).toEqual({ format: undefined, gzip: false, ext: '' });
  });

  it('refuses a gzip-compressed Parquet output, naming the flag', () => {
    expect(() => outputFormatOfName('w.parquet.gz')).toThrow('--out w.parquet.gz: Parquet compresses its own pages; name it .parquet');
    expect(() => outputFormatOfName('w.PQ.gz', 'reveal:')).toThrow('reveal: w.PQ.gz: Parquet compresses its own pages; name it .pq');
    expect(outputFormatOfName('w.parquet')).toMatchObject({ format: 'parquet', gzip: false });
  });

  it('is the one rule of the weekly job and recommend', () => {
    expect(outputFormat('w.jsonl.gz')).toBe('jsonl');
    expect(outputCompressed('w.jsonl.gz')).toBe(true);
    expect(outputCompressed('w.parquet')).toBe(false);
    expect(() => outputFormat('w.tsv')).toThrow("unknown output format '.tsv'");
    expect(() => outputFormat('w.parquet.gz')).toThrow('Parquet compresses its own pages');
    expect(recommendationFormat('r.pq')).toBe('parquet');
    expect(recommendationFormat('r.tsv.gz')).toBe('tsv');
    expect(recommendationFormat('r.txt')).toBe('csv');
    expect(() => recommendationFormat('r.parquet.gz')).toThrow('Parquet compresses its own pages');
  });
});
