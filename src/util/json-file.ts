/** Reading small JSON files (configs) with errors that name the file and, for bad JSON, line:column. */
import { readFileSync } from 'node:fs';
import { errorMessage } from './error-message.js';

/** Parsed JSON of `file`; `what` names the kind of file in the "cannot read" error. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read ${what}: ${errorMessage(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}${jsonPosition(text, errorMessage(e))}: invalid JSON: ${errorMessage(e)}`);
  }
}

/** ":line:column" of a JSON.parse error that reports a character position, else "". */
function jsonPosition(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Math.min(Number(m[1]), text.length);
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `:${line}:${col}`;
}
