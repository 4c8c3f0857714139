/**
 * Where the pseudonym key comes from: a key file (`--key-file`) or the MIXTAPE_PSEUDONYM_KEY
 * environment variable. The key is never written anywhere by mixtape; error messages name the
 * source, never the key.
 */
import { readFile } from 'node:fs/promises';
import { checkKey } from './pseudonym.js';
import { errorMessage } from '../util/error-message.js';

export const KEY_ENV = 'MIXTAPE_PSEUDONYM_KEY';

export interface KeySource {
  /** Path of a file holding the key (its bytes; one trailing newline is ignored). */
  keyFile?: string;
  /** The environment to read KEY_ENV from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The key bytes: the key file when given, else the environment variable; an Error when neither is usable. */
export async function loadPseudonymKey(src: KeySource = {}): Promise<Uint8Array> {
  if (src.keyFile !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(src.keyFile);
    } catch (err) {
      throw new Error(`${src.keyFile}: cannot read the pseudonym key file (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`);
    }
    bytes = stripNewline(bytes);
    checkKey(bytes, `${src.keyFile}: pseudonym key`);
    return bytes;
  }
  const value = (src.env ?? process.env)[KEY_ENV];
  if (value === undefined || value === '') {
    throw new Error(`pseudonymization needs a key: set ${KEY_ENV} or pass --key-file FILE`);
  }
  const bytes = new TextEncoder().encode(value);
  checkKey(bytes, `${KEY_ENV}`);
  return bytes;
}

/** Drops one trailing LF or CRLF, as editors add them to a key file. */
function stripNewline(b: Uint8Array): Uint8Array {
  let end = b.length;
  if (end > 0 && b[end - 1] === 10) end--;
  if (end > 0 && b[end - 1] === 13) end--;
  return b.subarray(0, end);
}
