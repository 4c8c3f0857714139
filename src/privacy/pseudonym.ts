/**
 * Keyed pseudonyms for user ids: `u_` + the first 32 hex characters (128 bits) of
 * HMAC-SHA-256(key, UTF-8 bytes of the raw id). The same key always maps an id to the same token,
 * so joins across runs keep working; without the key a token cannot be linked back to its id,
 * and the key holder maps tokens back by recomputing them for the raw ids (see reveal).
 * Ids are compared byte for byte: "User1" and "user1" are distinct ids and get distinct tokens.
 */
import { createHmac } from 'node:crypto';

export const TOKEN_PREFIX = 'u_';
/** Hex characters of the HMAC kept in a token. */
export const TOKEN_HEX_CHARS = 32;
/** Shortest accepted key, in bytes. */
export const MIN_KEY_BYTES = 16;

const TOKEN_PATTERN = new RegExp(`^${TOKEN_PREFIX}[0-9a-f]{${TOKEN_HEX_CHARS}}$`);

/** A raw id → token function for `readEvents`/`readCounts`' `pseudonymize` option. */
export type Pseudonymizer = (rawUserId: string) => string;

/** The token of one raw id under `key`. */
export function pseudonymToken(key: Uint8Array, rawUserId: string): string {
  return TOKEN_PREFIX + createHmac('sha256', key).update(rawUserId, 'utf8').digest('hex').slice(0, TOKEN_HEX_CHARS);
}

/** Whether a string has the shape of a token (it says nothing about which key made it). */
export function isPseudonymToken(s: string): boolean {
  return TOKEN_PATTERN.test(s);
}

/** A pseudonymizer bound to a key; the key is copied, so later changes to the caller's buffer do not matter. */
export function createPseudonymizer(key: Uint8Array): Pseudonymizer {
  checkKey(key, 'createPseudonymizer: key');
  const own = Uint8Array.from(key);
  return (raw) => pseudonymToken(own, raw);
}

/**
 * A short value that tells keys apart without revealing them: the first 16 hex characters of
 * HMAC-SHA-256(key, a fixed label). A model trained on pseudonyms records it, so a later run with
 * no key or another key (whose tokens would match none of the model's) is refused, not served.
 */
export function pseudonymKeyCheck(key: Uint8Array): string {
  checkKey(key, 'pseudonymKeyCheck: key');
  return createHmac('sha256', key).update('mixtape pseudonym key check', 'utf8').digest('hex').slice(0, 16);
}

export function checkKey(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array)) throw new TypeError(`${what} must be bytes (a Uint8Array or Buffer)`);
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`${what} is ${key.length} bytes; use at least ${MIN_KEY_BYTES} random bytes`);
}
