/**
 * Small two-column id files (e.g. onboarding picks: user_id,item_id), read with the same CSV
 * reader as everything else so quoting and delimiters behave identically.
 */
import { readDelimited } from './csv-reader.js';
import { IngestError } from './errors.js';

export interface IdPairs {
  left: string[];
  right: string[];
}

export async function readIdPairs(file: string, leftCol: string, rightCol: string): Promise<IdPairs> {
  const utf8 = new TextDecoder('utf-8');
  const out: IdPairs = { left: [], right: [] };
  let li = -1;
  let ri = -1;
  await readDelimited(file, {
    header(info) {
      li = info.names.indexOf(leftCol);
      ri = info.names.indexOf(rightCol);
      const missing = [leftCol, rightCol].filter((c) => !info.names.includes(c));
      if (missing.length) throw new IngestError(`${file}: missing column ${missing.map((c) => `'${c}'`).join(', ')} (header: ${info.names.join(', ')})`, file);
    },
    row(r) {
      const a = utf8.decode(r.bytes.subarray(r.start[li], r.end[li])).trim();
      const b = utf8.decode(r.bytes.subarray(r.start[ri], r.end[ri])).trim();
      if (!a || !b) throw new IngestError(`${file}:${r.line}: empty ${!a ? leftCol : rightCol}`, file, r.line);
      out.left.push(a);
      out.right.push(b);
    },
    malformed(line, message) {
      throw new IngestError(`${file}:${line}: ${message}`, file, line);
    },
  });
  return out;
}
