import { afterAll, describe, expect, it } from 'vitest';
import { readDelimited, type DelimitedOptions } from '../../src/data/csv-reader.js';
import { IngestError } from '../../src/data/errors.js';
import { TempFiles } from './temp-files.js';

const tmp = new TempFiles();
afterAll(() => tmp.remove());

const dec = new TextDecoder();

interface Parsed {
  names: string[];
  delimiter: string;
  rows: { line: number; fields: string[] }[];
  malformed: { line: number; message: string }[];
}

async function parse(content: string | Uint8Array, opts: DelimitedOptions = {}): Promise<Parsed> {
  const file = tmp.write(`f${Math.random().toString(36).slice(2)}.csv`, content);
  const out: Parsed = { names: [], delimiter: '', rows: [], malformed: [] };
  await readDelimited(
    file,
    {
      header: (h) => {
        out.names = h.names;
        out.delimiter = h.delimiter;
      },
      row: (r) => {
        const fields: string[] = [];
        for (let i = 0; i < r.fields; i++) fields.push(dec.decode(r.bytes.subarray(r.start[i], r.end[i])));
        out.rows.push({ line: r.line, fields });
      },
      malformed: (line, message) => out.malformed.push({ line, message }),
    },
    opts,
  );
  return out;
}

describe('readDelimited', () => {
  it('splits quoted fields holding delimiters, doubled quotes and newlines, and counts physical lines', async () => {
    const p = await parse('a,b,c\n"x,1","say ""hi""","two\nlines"\nplain,"",end\n');
    expect(p.names).toEqual(['a', 'b', 'c']);
    expect(p.rows).toEqual([
      { line: 2, fields: ['x,1', 'say "hi"', 'two\nlines'] },
      { line: 4, fields: ['plain', '', 'end'] },
    ]);
  });

  it('handles CRLF, a UTF-8 BOM, blank lines and a last line without newline', async () => {
    const p = await parse('\ufeffid,v\r\n1,"q"\r\n\r\n2,x\r\n3,y');
    expect(p.names).toEqual(['id', 'v']);
    expect(p.rows).toEqual([
      { line: 2, fields: ['1', 'q'] },
      { line: 4, fields: ['2', 'x'] },
      { line: 5, fields: ['3', 'y'] },
    ]);
  });

  it('detects tab, comma, semicolon and pipe delimiters from the header', async () => {
    expect((await parse('a\tb,c\n1\t2,3\n')).delimiter).toBe('\t');
    const tsv = await parse('a\tb,c\n1\t2,3\n');
    expect(tsv.rows[0].fields).toEqual(['1', '2,3']);
    expect((await parse('a,b\n1,2\n')).delimiter).toBe(',');
    expect((await parse('a;b;c\n1;2;3\n')).delimiter).toBe(';');
    expect((await parse('a|b\n1|2\n')).delimiter).toBe('|');
    expect((await parse('"a,b";c;d\n1;2;3\n')).names).toEqual(['a,b', 'c', 'd']);
    expect((await parse('\n\na\tb\n1\t2\n')).delimiter).toBe('\t');
  });

  it('reports wrong field counts and bad quoting as malformed rows with their line', async () => {
    const p = await parse('a,b\n1,2\n3\n"x"y,2\n4,5,6\n"open,7\n');
    expect(p.rows.map((r) => r.line)).toEqual([2]);
    expect(p.malformed).toEqual([
      { line: 3, message: 'expected 2 fields, found 1' },
      { line: 4, message: 'field 1: unexpected character after closing quote' },
      { line: 5, message: 'expected 2 fields, found 3' },
      { line: 6, message: 'unterminated quoted field' },
    ]);
  });

  it('reads rows that span chunk boundaries exactly as with one big chunk', async () => {
    const rows = ['id,name,n'];
    for (let i = 0; i < 300; i++) rows.push(`${i},"na,me ""${i}""\nx",${i * 7}`);
    const content = `${rows.join('\r\n')}\r\n`;
    const small = await parse(content, { chunkBytes: 64 });
    const big = await parse(content);
    expect(small.rows).toEqual(big.rows);
    expect(small.rows).toHaveLength(300);
    expect(small.rows[299]).toEqual({ line: 2 + 299 * 2, fields: ['299', 'na,me "299"\nx', '2093'] });
  });

  it('fails on a row longer than the bound instead of growing without limit', async () => {
    const content = `a,b\n1,2\n3,${'x'.repeat(5000)}\n`;
    await expect(parse(content, { chunkBytes: 256, maxLineBytes: 1024 })).rejects.toThrow(/:3: row longer than 1024 bytes/);
  });

  it('rejects empty and header-only files unless allowEmpty', async () => {
    await expect(parse('')).rejects.toThrow(/: empty$/);
    await expect(parse('\ufeff\n\n')).rejects.toThrow(/: empty$/);
    await expect(parse('a,b\n')).rejects.toThrow(/: no data rows$/);
    await expect(parse('a,b\n')).rejects.toBeInstanceOf(IngestError);
    expect((await parse('a,b\n', { allowEmpty: true })).rows).toEqual([]);
    expect((await parse('', { allowEmpty: true })).rows).toEqual([]);
  });
});
