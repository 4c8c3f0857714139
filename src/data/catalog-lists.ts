/**
 * List-valued catalog cells (genres, tags). Two spellings are accepted:
 * - `|`-separated tokens: `dance pop|pop`;
 * - a Python or JSON list literal of strings, as exported by pandas: `['dance pop', "pop"]`.
 * Tokens are trimmed, lower-cased and inner whitespace collapsed so `Dance  Pop` and `dance pop`
 * are one vocabulary entry; empty tokens are dropped. Repeated tokens are kept (a count).
 */

/** Normalised token: trimmed, lower case, single spaces. */
export function normalizeToken(t: string): string {
  return t.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Tokens of a list cell; throws an Error with the reason when a literal is malformed. */
export function parseListCell(cell: string): string[] {
  const s = cell.trim();
  if (s === '' || s === '[]') return [];
  if (s.startsWith('[')) return parsePythonStringList(s).map(normalizeToken).filter((t) => t !== '');
  return s
    .split('|')
    .map(normalizeToken)
    .filter((t) => t !== '');
}

/**
 * Strings of a Python/JSON list literal `[ 'a', "b\'c" ]`. Supports both quote kinds and the
 * backslash escapes \\ \' \" \n \t; a trailing comma is allowed. Anything else is an error.
 */
export function parsePythonStringList(s: string): string[] {
  const out: string[] = [];
  let p = 0;
  const n = s.length;
  const skipSpace = (): void => {
    while (p < n && /\s/.test(s[p])) p++;
  };
  skipSpace();
  if (s[p] !== '[') throw new Error(`list literal must start with '[': ${JSON.stringify(s.slice(0, 40))}`);
  p++;
  for (;;) {
    skipSpace();
    if (p >= n) throw new Error('list literal: missing closing ]');
    if (s[p] === ']') {
      p++;
      break;
    }
    const q = s[p];
    if (q !== "'" && q !== '"') throw new Error(`list literal: expected a quoted string at offset ${p}`);
    p++;
    let value = '';
    for (;;) {
      if (p >= n) throw new Error('list literal: unterminated string');
      const c = s[p];
      if (c === '\\') {
        const e = s[p + 1];
        value += e === 'n' ? '\n' : e === 't' ? '\t' : (e ?? '');
        p += 2;
        continue;
      }
      p++;
      if (c === q) break;
      value += c;
    }
    out.push(value);
    skipSpace();
    if (s[p] === ',') {
      p++;
      continue;
    }
    if (s[p] === ']') {
      p++;
      break;
    }
    throw new Error(`list literal: expected ',' or ']' at offset ${p}`);
  }
  skipSpace();
  if (p !== n) throw new Error(`list literal: unexpected text after ']' at offset ${p}`);
  return out;
}
