/** Privacy: keyed pseudonyms for user ids at ingest, and mapping them back for the key holder. */
export {
  TOKEN_PREFIX,
  TOKEN_HEX_CHARS,
  MIN_KEY_BYTES,
  pseudonymToken,
  isPseudonymToken,
  createPseudonymizer,
  pseudonymKeyCheck,
  type Pseudonymizer,
} from './pseudonym.js';
export { KEY_ENV, loadPseudonymKey, type KeySource } from './key.js';
export { revealFile, type RevealOptions, type RevealSummary } from './reveal.js';
